"""A series' problems build on each other: learner code imports the learner's own earlier parts.

These run the harness under CPython on a small series made here: part one is Linear forward (its
real hidden tests), and the problem that uses it doubles Linear forward's output.
"""

import json
import sys
from pathlib import Path

import pytest

from runner import harness
from runner.checks import Failure, call
from sitebuild.examples import parse_example
from sitebuild.problems import Problem, link_series, load_problems
from series_wrong_answers import WRONG_ANSWERS, wrong_answers

ROOT = Path(__file__).resolve().parent.parent
FORWARD = ROOT / "problems" / "linear-forward"
GOOD_PART = (FORWARD / "solution.py").read_text()
NO_BIAS_PART = (FORWARD / "wrong" / "no_bias.py").read_text()
FORWARD_TESTS_SOURCE = (FORWARD / "tests.py").read_text()
FORWARD_TESTS = FORWARD_TESTS_SOURCE.count("@hidden_test(")


def _series() -> dict:
    problems, _ = load_problems(ROOT / "problems")
    link_series(problems)
    return {problem.slug: problem for problem in problems}


SERIES = _series()

DOUBLE_TESTS = '''
import numpy as np
from runner.checks import call, expect_close, hidden_test

@hidden_test("Doubles the layer's output")
def test_double(double_forward):
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    expect_close("y", call(double_forward, x, W, b), 2 * (x @ W + b))
'''
USES_PART = '''from linear_forward import linear_forward


def double_forward(x, W, b):
    return 2 * linear_forward(x, W, b)
'''


def grader() -> harness.Grader:
    part = harness.Part("linear_forward", "linear-forward", "Linear forward", "linear_forward",
                        (FORWARD / "tests.py").read_text())
    return harness.Grader(harness.ProblemSpec("double_forward", DOUBLE_TESTS, parts=[part]))


def grade(source: str, parts: dict, grader=None) -> dict:
    with harness.time_limit(2.0) as interrupted:
        results = (grader or globals()["grader"]()).run_tests(
            source, parts=parts, interrupted=interrupted)
    return json.loads(results.to_json())


def test_learner_code_imports_its_own_earlier_part():
    results = grade(USES_PART, {"linear_forward": GOOD_PART})
    assert results["status"] == "pass"
    assert results["parts"] == [{
        "module": "linear_forward", "slug": "linear-forward", "title": "Linear forward",
        "status": "pass", "passed": FORWARD_TESTS, "total": FORWARD_TESTS, "missing": False,
        "message": "Your `linear_forward` passes Linear forward's tests.",
    }]


def test_a_part_never_written_names_the_problem_to_solve_first():
    results = grade(USES_PART, {})
    assert results["status"] == "error"
    assert results["error"]["type"] == "ImportError"
    assert results["error"]["message"] == (
        "`linear_forward` is your code for \u201cLinear forward\u201d, which you have not written "
        "yet: solve that problem first.")
    assert results["error"]["line"] == 1
    (part,) = results["parts"]
    assert part["missing"] and part["slug"] == "linear-forward"


def test_a_failing_part_is_named_as_such():
    results = grade(USES_PART, {"linear_forward": NO_BIAS_PART})
    assert results["status"] == "fail"
    (part,) = results["parts"]
    assert part["status"] == "fail" and not part["missing"]
    assert part["message"] == ("Your `linear_forward` does not pass Linear forward's tests "
                               f"(1 of {FORWARD_TESTS} pass): fix it there first.")


def test_an_error_inside_a_part_shows_the_part_file_and_marks_no_editor_line_there():
    broken = GOOD_PART.replace("return x @ W + b", "return x @ W + b + undefined_name")
    results = grade(USES_PART, {"linear_forward": broken})
    error = results["tests"][0]["error"]
    assert 'File "your_code.py", line 5, in double_forward' in error["traceback"]
    assert 'File "your_parts/linear_forward.py", line' in error["traceback"]
    assert error["line"] == 5  # the editor's line that called into the part
    assert results["parts"][0]["status"] == "error"
    assert results["parts"][0]["message"].startswith("Your `linear_forward` does not pass")


def test_parts_are_fresh_on_every_run_and_gone_afterwards():
    shared = grader()
    host_module = sys.modules["linear_forward"] = type(sys)("linear_forward")  # not the learner's
    try:
        assert grade(USES_PART, {"linear_forward": NO_BIAS_PART}, shared)["status"] == "fail"
        assert grade(USES_PART, {"linear_forward": GOOD_PART}, shared)["status"] == "pass"
        assert sys.modules["linear_forward"] is host_module
    finally:
        del sys.modules["linear_forward"]
    assert not any(isinstance(finder, harness.LearnerParts) for finder in sys.meta_path)


def test_a_part_runaway_loop_ends_in_the_time_limit():
    looping = GOOD_PART.replace("return x @ W + b", "while True:\n        pass")
    results = grade(USES_PART, {"linear_forward": looping})
    assert results["status"] == "timeout"


def test_code_without_imports_is_graded_as_before_and_reports_no_parts():
    results = grade("def double_forward(x, W, b):\n    return 2 * (x @ W + b)\n", {})
    assert results["status"] == "pass" and results["parts"] == []


def test_series_problems_offer_their_earlier_problems_as_modules(tmp_path):
    problems, errors = load_problems(ROOT / "problems")
    link_series(problems)
    by_slug = {problem.slug: problem for problem in problems}
    backward = by_slug["linear-backward"]
    assert [part.module for part in backward.parts] == ["linear_forward"]
    assert [part["slug"] for part in backward.spec()["parts"]] == ["linear-forward"]
    assert by_slug["linear-forward"].parts == []
    assert backward.reference_parts() == {"linear_forward": GOOD_PART}


@pytest.mark.parametrize("slug, module", [
    ("relu-backward", "relu_backward"), ("random", None), ("numpy", None), ("3d-conv", None),
    ("lambda", None), ("runner", None)])
def test_a_problem_module_is_its_slug_unless_an_import_could_not_reach_it(slug, module):
    problem = Problem(slug, Path(slug), Path("."), {}, "", 1, {})
    assert problem.module == module


def test_changing_a_dict_of_arrays_in_place_is_caught_and_named():
    def step(params):
        params["W"] *= 2
        return params

    def add_key(params):
        params["extra"] = 1
        return params

    import numpy as np

    with pytest.raises(Failure, match=r"changed its input `params\['W'\]` in place.*new arrays"):
        call(step, {"W": np.ones(3)})
    with pytest.raises(Failure, match=r"changed its input `params` in place.*new dict"):
        call(add_key, {"W": np.ones(3)})


EXAMPLE_TESTS = '''
from runner.checks import hidden_test

@hidden_test("Never fails")
def test_nothing(step):
    pass
'''


def run_example(source: str, inputs, outputs, returns=(), kinds=None, atol=None):
    example = harness.Example("Example", inputs, outputs, kinds or {}, atol)
    spec = harness.ProblemSpec("step", EXAMPLE_TESTS, list(returns), examples=[example])
    (result,) = harness.Grader(spec).run_examples(source).tests
    return result


def test_examples_take_integer_lambda_dict_and_scalar_inputs():
    source = ("def step(labels, f, params, lr):\n"
              "    assert labels.dtype.kind == 'i' and isinstance(lr, float)\n"
              "    return {k: v - lr * f(v) for k, v in params.items()}, labels + 1\n")
    result = run_example(
        source,
        [("labels", [0, 2]), ("f", "lambda v: 2 * v"), ("params", {"w": [1.0, 2.0]}),
         ("lr", 0.5)],
        [("new_params", {"w": [0.0, 0.0]}), ("next", [1, 3])],
        returns=["new_params", "next"], kinds={"labels": "int", "f": "lambda"})
    assert result.status == "pass", result.message
    assert result.comparison.inputs["f"] == "lambda v: 2 * v"
    assert result.comparison.actual == {"new_params": "{'w': [0, 0]}", "next": "[1, 3]"}


def test_an_example_dict_output_with_a_missing_key_says_so():
    result = run_example("def step(params):\n    return {'v': params['w']}\n",
                         [("params", {"w": [1.0]})], [("out", {"w": [1.0]})])
    assert result.status == "fail"
    assert result.message == "out has keys ['v']; expected ['w']."


def test_an_example_tolerance_accepts_close_outputs_and_rejects_far_ones():
    inputs, outputs = [("x", [0.0, 1.0])], [("y", [0.0, 1.0])]
    close = run_example("def step(x):\n    return x * 0.9\n", inputs, outputs, atol=0.25)
    far = run_example("def step(x):\n    return x * 0.5\n", inputs, outputs, atol=0.25)
    assert close.status == "pass" and far.status == "fail"
    assert "tolerance atol=0.25, rtol=0" in far.message


def test_examples_parse_integer_lambda_and_tolerance_and_may_leave_out_defaults():
    block = ("f = lambda x: np.sum(x ** 2)\nx = [1.0, 2.0]\nlabels: int = [0, 2]\n"
             "# Output (to within 1e-4)\ng = [2.0, 4.0]\n")
    example, errors = parse_example(block, "E", ["f", "x", "labels", "eps"], [], ["eps"])
    assert errors == []
    assert example == {"name": "E", "inputs": [("f", "lambda x: np.sum(x ** 2)"),
                                                 ("x", [1.0, 2.0]), ("labels", [0, 2])],
                       "outputs": [("g", [2.0, 4.0])],
                       "kinds": {"f": "lambda", "labels": "int"}, "atol": 1e-4}
    _, errors = parse_example("f = lambda x: x\n# Output\ng = 1\n", "E", ["f", "x"], [], [])
    assert errors == [(1, "inputs must be f, x; got f")]


def learner_facing_text(results) -> str:
    """Every message, hint and error of a run, as the learner reads them."""
    texts = [results.error.message if results.error else ""]
    for test in results.tests:
        texts += [test.message, test.hint, test.error.traceback if test.error else ""]
    return "\n".join(texts)


@pytest.mark.parametrize("slug, name, source, mention", [
    (slug, name, source, mention) for slug in WRONG_ANSWERS
    for name, source, mention in wrong_answers(slug)], ids=lambda value: str(value)[:40])
def test_plausible_wrong_answers_beyond_the_known_mistakes_are_caught(slug, name, source,
                                                                        mention):
    problem = SERIES[slug]
    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(problem.spec())))
    with harness.time_limit(30.0) as interrupted:
        results = grader.run_tests(source, parts=problem.reference_parts(),
                                   interrupted=interrupted)
    assert results.status != "pass", name
    assert mention in learner_facing_text(results), learner_facing_text(results)


def test_a_part_whose_tests_did_not_load_is_said_to_be_unchecked():
    part = harness.Part("linear_forward", "linear-forward", "Linear forward", "linear_forward")
    grader = harness.Grader(harness.ProblemSpec("double_forward", DOUBLE_TESTS, parts=[part]))
    results = grade(USES_PART, {"linear_forward": GOOD_PART}, grader)
    assert results["status"] == "pass"
    assert results["parts"][0]["message"] == (
        "Your `linear_forward` could not be checked: Linear forward's tests did not load.")
    # The worker hands them over with the run once fetched (run_json's part_tests).
    posted = []
    results = json.loads(grader.run_json("tests", USES_PART, posted.append, lambda: False,
                                         json.dumps({"linear_forward": GOOD_PART}), False,
                                         json.dumps({"linear_forward": FORWARD_TESTS_SOURCE})))
    assert results["parts"][0]["status"] == "pass"
