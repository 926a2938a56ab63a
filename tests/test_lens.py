"""The shape lens's recorder (runner/lens.py) under CPython, through the harness as the worker
calls it: which call it records, what each line shows, its caps, and that grading, time limits
and tampering protection are as without it."""

import json
import sys

import numpy as np

from conftest import TEST_NAMES
from runner import harness, lens
from test_harness import REFERENCE, SPEC

DW_TRANSPOSED = REFERENCE.replace("x.T @ grad_out", "grad_out.T @ x")


def graded(source: str, kind: str = "tests", seconds: float = 2.0) -> dict:
    """Results (as JSON) of `source` on Linear backward, with the lens, time-limited."""
    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(SPEC)))
    run = grader.run_tests if kind == "tests" else grader.run_examples
    with harness.time_limit(seconds) as interrupted:
        results = run(source, interrupted=interrupted, lens=True)
    return json.loads(results.to_json())


def entries(results: dict) -> dict[int, str]:
    """{line: text, with ` ×count` and `+` as the page shows them} of a run's lens."""
    return {entry["line"]: entry["text"] + (f" ×{entry['count']}" if entry["count"] > 1 else "")
            + ("+" if entry["more"] else "") for entry in results["lens"]["entries"]}


def function(body: str, header: str = "import numpy as np\n\n") -> str:
    """Linear backward's function with `body` (indented by four spaces) after the header."""
    lines = "".join(f"    {line}\n" for line in body.strip("\n").split("\n"))
    return f"{header}def linear_backward(grad_out, x, W):\n{lines}"


def test_each_line_shows_what_it_assigned_and_the_return_names_the_gradients():
    results = graded(DW_TRANSPOSED)
    assert results["lens"]["check"] == TEST_NAMES[0]
    assert results["lens"]["why"] == "first failing test"
    assert entries(results) == {
        6: "dx (4, 3) float64",
        7: "dW (5, 3) float64",
        8: "db (5,) float64",
        9: "→ dx (4, 3), dW (5, 3), db (5,)",
    }


def test_a_one_line_return_of_expressions_takes_the_problems_names():
    results = graded(function("return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)"))
    assert results["status"] == "pass"
    assert results["lens"]["why"] == "first test"
    assert entries(results) == {4: "→ dx (4, 3), dW (3, 5), db (5,)"}


def test_the_first_failing_test_is_chosen_over_earlier_passing_ones():
    results = graded(REFERENCE.replace("grad_out.sum(axis=0)", "grad_out.mean(axis=0)"))
    assert results["lens"]["check"] == TEST_NAMES[3]
    assert results["lens"]["why"] == "first failing test"


def test_examples_record_the_first_example():
    results = graded(REFERENCE, kind="examples")
    assert results["lens"]["why"] == "first example"
    assert entries(results)[7] == "dW (2, 3) float64"


def test_scalars_show_their_type_and_other_values_their_type_name():
    results = graded(function("""
n = x.shape[0]
scale = np.float32(1.0)
shapes = [x.shape, W.shape]
dx, dW = grad_out @ W.T, x.T @ grad_out
return dx, dW, grad_out.sum(axis=0)
"""))
    assert entries(results) == {
        4: "n int", 5: "scale float32", 6: "shapes list", 7: "dx (4, 3) float64, dW (3, 5) float64",
        8: "→ dx (4, 3), dW (3, 5), db (5,)",
    }


def test_a_loop_shows_its_last_iteration_and_how_many_times_it_ran():
    results = graded(function("""
grads = []
for step in range(1, 4):
    grads.append(np.zeros((step, 2), dtype=np.int32))
    last = grads[-1]
return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
"""))
    assert entries(results) == {
        4: "grads list",
        5: "step int ×4",  # once more than the body: the header ends the loop too
        7: "last (3, 2) int32 ×3",
        8: "→ dx (4, 3), dW (3, 5), db (5,)",
    }


def test_a_million_iterations_and_a_huge_array_are_capped_not_slowed():
    source = function("""
total = 0
for i in range(10**6):
    total += i
huge = np.zeros(10**7)
return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
""")
    results = graded(source, seconds=20)
    assert results["status"] == "pass"
    shown = entries(results)
    assert shown[4] == "total int"
    assert shown[5].startswith("i int ×") and shown[5].endswith("+")
    assert shown[6].startswith("total int ×") and shown[6].endswith("+")
    counts = [entry["count"] for entry in results["lens"]["entries"]]
    assert max(counts) <= lens.MAX_EVENTS
    if sys.version_info >= (3, 12):  # sys.monitoring switches off the hot lines alone
        assert shown[7] == "huge (10000000,) float64"
        assert shown[8] == "→ dx (4, 3), dW (3, 5), db (5,)"


def test_names_and_text_are_capped():
    many = ", ".join(f"a{index}" for index in range(10))
    long_dtype = "[" + ", ".join(f"('field_with_a_long_name_{index}', 'f8')" for index in range(20)) + "]"
    results = graded(function(f"""
{many} = range(10)
record = np.zeros(2, dtype={long_dtype})
return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
"""))
    shown = entries(results)
    assert shown[4] == ", ".join(f"a{index} int" for index in range(lens.MAX_NAMES)) + ", …"
    assert len(shown[5]) == lens.MAX_TEXT and shown[5].endswith("…")


def test_lines_are_capped():
    body = "\n".join(f"v{index} = {index}" for index in range(lens.MAX_LINES + 50))
    results = graded(function(body + "\nreturn grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)"))
    assert len(results["lens"]["entries"]) == lens.MAX_LINES


def test_only_the_editors_lines_are_shown_not_the_learners_parts_or_numpy():
    # A part's code has lines of the same numbers as the editor's: none of them may show.
    part = "def helper(a):\n    b = a * 2\n    c = b.T\n    return c\n"
    part_code = compile(part, f"{harness.PART_FILENAME_PREFIX}helper.py", "exec")
    namespace: dict = {}
    exec(part_code, namespace)
    source = "import numpy as np\n\n\n\ndef f(a):\n    return helper(a)\n"
    code = compile(source, harness.LEARNER_FILENAME, "exec")
    learner: dict = {"helper": namespace["helper"]}
    exec(code, learner)
    plan = lens.LensPlan("tests", code, source, "f", [])
    recording = plan.recording(0)
    recording.call(learner["f"], (np.ones((2, 3)),))
    plan.finished("only test", harness.Status.PASS, recording)
    assert [(entry.line, entry.text) for entry in plan.lens().entries] == [(6, "→ (3, 2) float64")]


def test_a_time_limit_during_the_recorded_call_is_a_timeout_and_the_next_run_is_clean():
    results = graded(function("i = 0\nwhile True:\n    i += 1"), seconds=0.5)
    assert results["status"] == "timeout"
    assert results["lens"]["check"] == TEST_NAMES[0]
    assert entries(results)[4] == "i int"
    assert sys.gettrace() is None
    if sys.version_info >= (3, 12):
        assert all(sys.monitoring.get_tool(tool) is None for tool in lens.TOOL_IDS)
    assert graded(REFERENCE)["status"] == "pass"


def test_a_learners_own_keyboard_interrupt_is_their_error():
    results = graded(function("raise KeyboardInterrupt"))
    assert results["tests"][0]["status"] == "error"
    assert results["lens"]["why"] == "first failing test"


def test_learner_code_that_turns_tracing_off_spoils_only_its_own_lens():
    source = function("""
import sys
sys.settrace(None)
if hasattr(sys, "monitoring"):
    for tool in range(6):
        if sys.monitoring.get_tool(tool) is not None:
            sys.monitoring.free_tool_id(tool)
    sys.monitoring.use_tool_id(3, "mine")
    sys.monitoring.use_tool_id(4, "mine too")
dx = grad_out @ W.T
return dx, x.T @ grad_out, grad_out.sum(axis=0)
""")
    results = graded(source)
    assert results["status"] == "pass"
    assert graded(DW_TRANSPOSED)["lens"]["entries"][1]["text"] == "dW (5, 3) float64"


def test_without_the_lens_nothing_is_recorded():
    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(SPEC)))
    assert grader.run_tests(REFERENCE).lens is None
    posted = []
    off = json.loads(grader.run_json("tests", REFERENCE, posted.append, lambda: False, "{}", False))
    on = json.loads(grader.run_json("tests", REFERENCE, posted.append, lambda: False))
    assert off["lens"] is None
    assert on["lens"]["why"] == "first test"
