"""Hostile and careless learner code at the harness level: every case gets a clear result,
no wrong answer passes, and the next correct run still passes.

The browser-only cases (interrupts, crashes of the runtime, memory, storage, CSP) are in
test_hostile_e2e.py; docs/hostile-input.md lists every case and its test.
"""

import builtins
import json

import numpy as np
import pytest

from test_harness import REFERENCE, grade

ZEROS = "    return np.zeros((len(x), W.shape[0])), np.zeros(W.shape), np.zeros(W.shape[1])\n"
WRONG_BODY = "def linear_backward(grad_out, x, W):\n" + ZEROS

# (case, learner source, expected status of every test, text every message contains)
REFUSED = {
    "sys_exit": ("import sys\ndef linear_backward(g, x, W):\n    sys.exit(0)\n",
                 "error", "called sys.exit() or raised SystemExit"),
    "raise_system_exit": ("def linear_backward(g, x, W):\n    raise SystemExit\n",
                          "error", "called sys.exit() or raised SystemExit"),
    "raise_keyboard_interrupt": ("def linear_backward(g, x, W):\n    raise KeyboardInterrupt\n",
                                 "error", "KeyboardInterrupt (line 2 of your code)"),
    "raise_base_exception": ("def linear_backward(g, x, W):\n    raise BaseException('no')\n",
                             "error", "BaseException: no (line 2 of your code)"),
    "os_exit": ("import os\ndef linear_backward(g, x, W):\n    os._exit(0)\n",
                "error", "os._exit(0) was called: return from your function instead"),
    "input": ("def linear_backward(g, x, W):\n    n = int(input())\n",
              "error", "input() has nothing to read here"),
    "import_torch": ("import torch\n", "error",
                     "No module named 'torch': only NumPy and Python's standard library"),
    "import_scipy_inside": ("def linear_backward(g, x, W):\n    import scipy\n",
                            "error", "No module named 'scipy': only NumPy"),
    "recursion_in_python": ("def linear_backward(g, x, W):\n    return linear_backward(g, x, W)\n",
                            "error", "maximum recursion depth exceeded"),
    "sleep": ("import time\ndef linear_backward(g, x, W):\n    time.sleep(60)\n",
              "timeout", ""),
    "loop_catching_interrupts": (
        "def linear_backward(g, x, W):\n    while True:\n        try:\n            pass\n"
        "        except KeyboardInterrupt:\n            pass\n", "timeout", ""),
    "assign_ndarray_eq": ("import numpy as np\nnp.ndarray.__eq__ = lambda a, b: True\n" + REFERENCE,
                          "error", "immutable type 'numpy.ndarray'"),
    "returns_none": ("def linear_backward(g, x, W):\n    pass\n", "fail", "returned None"),
    "returns_two_values": ("def linear_backward(g, x, W):\n    return g @ W.T, x.T @ g\n",
                           "fail", "returned 2 values"),
    "returns_scalar": ("def linear_backward(g, x, W):\n    return 0.0\n",
                       "fail", "returned a value of type float"),
    "returns_nested_lists": ("def linear_backward(g, x, W):\n    return [[1, 2], [3, 4]]\n",
                             "fail", "returned 2 values"),
    "returns_object_dtype": (
        "import numpy as np\ndef linear_backward(g, x, W):\n"
        "    return np.array([None]), g, g\n", "fail", "dx has dtype object"),
    "returns_complex": (
        "def linear_backward(g, x, W):\n    return (g @ W.T) * 1j, x.T @ g, g.sum(0)\n",
        "fail", "dx has complex dtype complex128"),
    "returns_strings": ("def linear_backward(g, x, W):\n    return 'dx', 'dW', 'db'\n",
                        "fail", "dx has dtype <U2; expected numbers"),
    "returns_inf": (
        "import numpy as np\ndef linear_backward(g, x, W):\n"
        "    return g @ W.T + np.inf, x.T @ g + np.inf, g.sum(0) + np.inf\n",
        "fail", "contains inf at [0"),
    "returns_nan": (
        "import numpy as np\ndef linear_backward(g, x, W):\n"
        "    return (g @ W.T) * np.nan, (x.T @ g) * np.nan, g.sum(0) * np.nan\n",
        "fail", "contains NaN at [0"),
    "right_values_wrong_shape": (
        "def linear_backward(g, x, W):\n    return (g @ W.T).ravel(), (x.T @ g).ravel(), g.sum(0)[None]\n",
        "fail", "has shape"),
}

# Learner code that tampers with what grading uses, each with a wrong answer (zeros).
TAMPERING = {
    "np_allclose": "np.allclose = lambda *a, **k: True\n",
    "np_testing_assert_allclose": "np.testing.assert_allclose = lambda *a, **k: None\n",
    "np_isclose_and_abs": "np.isclose = lambda *a, **k: True\nnp.abs = lambda a: 0 * a\n",
    "builtin_len": "import builtins\nbuiltins.len = lambda obj: 3\n",
    "builtin_isinstance": "import builtins\nbuiltins.isinstance = lambda *a: True\n",
    "builtin_print": "import builtins\nbuiltins.print = None\n",
    "builtin_tuple": "import builtins\nbuiltins.tuple = lambda s=(): (4, 3)\n",
    "grader_internals": "import runner.checks as c\nc._abs = lambda a: 0 * a\nc.Failure = None\n",
    "seeded_inputs": "np.random.default_rng = lambda seed=None: np.random.Generator(np.random.PCG64(0))\n",
    "np_sum": "np.sum = lambda *a, **k: 0.0\n",
    "deepcopy": "import copy\ncopy.deepcopy = lambda obj, memo=None: obj\n",
    "zeroes_inputs_in_place": "",
}


def passing(results: dict) -> set[str]:
    return {test["name"] for test in results["tests"] if test["status"] == "pass"}


# The zeros answer has the right shapes and nothing else: graded clean, only the shape test
# passes. Tampering must not make anything else pass.
UNTAMPERED = grade("import numpy as np\n" + WRONG_BODY)


def test_the_untampered_wrong_answer_passes_only_the_shape_test():
    assert passing(UNTAMPERED) == {"Returns three arrays with correct shapes"}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_code_gets_a_clear_result(case):
    source, status, text = REFUSED[case]
    results = grade(source)
    refused = [test for test in results["tests"] if test["status"] != "pass"]
    passed = {test["name"] for test in results["tests"]} - {test["name"] for test in refused}
    # Only the shape test can pass, for answers of the right shapes and wrong values.
    assert passed <= {"Returns three arrays with correct shapes"}
    assert {test["status"] for test in refused} == {status}
    assert all(text in test["message"] for test in refused), refused[0]["message"]
    assert grade(REFERENCE)["status"] == "pass"


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampering_never_turns_a_wrong_answer_into_a_pass(case):
    source = "import numpy as np\n" + TAMPERING[case]
    source += WRONG_BODY if case != "zeroes_inputs_in_place" else (
        "def linear_backward(grad_out, x, W):\n"
        "    grad_out[:] = 0\n    x[:] = 0\n    W[:] = 0\n" + ZEROS)
    assert passing(grade(source)) <= passing(UNTAMPERED)
    assert len([1, 2]) == 2 and builtins.print is not None and np.allclose(1, 1.5) is False
    assert grade(REFERENCE)["status"] == "pass"


@pytest.mark.parametrize("where", ["module", "function"])
def test_tampering_inside_the_function_is_undone_before_checks(where):
    tamper = "    import builtins; builtins.len = lambda obj: 3; np.abs = lambda a: 0 * a\n"
    body = "def linear_backward(grad_out, x, W):\n" + (tamper if where == "function" else "") + ZEROS
    source = "import numpy as np\n" + (tamper.strip() + "\n" if where == "module" else "") + body
    assert passing(grade(source)) <= passing(UNTAMPERED)


def test_a_list_of_three_arrays_is_accepted_like_a_tuple():
    source = "def linear_backward(g, x, W):\n    return [g @ W.T, x.T @ g, g.sum(axis=0)]\n"
    assert grade(source)["status"] == "pass"


def test_integer_results_are_judged_by_value():
    source = ("def linear_backward(g, x, W):\n"
              "    return (g @ W.T).astype(int), (x.T @ g).astype(int), g.sum(0).astype(int)\n")
    results = grade(source)
    assert results["tests"][0]["status"] == "pass"
    assert results["tests"][1]["status"] == "fail"
    assert results["tests"][1]["message"].startswith("dx differs from grad_out @ W.T")


def test_non_ascii_identifiers_and_strings():
    source = ("import numpy as np\n"
              "def linear_backward(grad_out, x, W):\n"
              "    größe = len(x)\n"
              "    print('größe:', größe, '✓ 梯度')\n"
              "    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)\n")
    results = grade(source)
    assert results["status"] == "pass"
    assert results["tests"][0]["output"] == "größe: 4 ✓ 梯度\n"


def test_a_one_megabyte_source_file():
    source = "# padding to a megabyte\n" * (2**20 // 24) + REFERENCE
    assert len(source) > 2**20
    assert grade(source)["status"] == "pass"


def test_results_are_valid_json_whatever_the_code_prints():
    source = "print('\\x00\\ud800 <img src=x onerror=alert(1)>')\n" + REFERENCE
    results = grade(source)
    assert "<img src=x onerror=alert(1)>" in results["output"]
    json.dumps(results)
