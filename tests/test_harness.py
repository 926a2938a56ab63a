"""The grading harness under CPython, as golden cases.

Each folder in tests/golden/ holds a learner's `solution.py` and the `expected.json` results the
harness must produce for it against Linear backward's hidden tests (durations left out). After a
deliberate change to messages, regenerate with `UPDATE_GOLDEN=1 python build.py test
tests/test_harness.py` and review the diff.
"""

import json
import os
import signal
from pathlib import Path

import pytest

from conftest import TEST_NAMES
from runner import harness
from runner.results import SCHEMA_VERSION, Status
from sitebuild.problems import load_problem

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = ROOT / "problems" / "linear-backward"
GOLDEN = Path(__file__).parent / "golden"
TIME_LIMIT_S = 1.0
CASES = sorted(case.name for case in GOLDEN.iterdir() if case.is_dir())
SPEC = load_problem(PROBLEM, ROOT).spec()
REFERENCE = (PROBLEM / "solution.py").read_text()


def grade(source: str, events=None, kind: str = "tests") -> dict:
    """Run `source` as the worker would, on Linear backward's tests or examples, time-limited."""
    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(SPEC)))
    run = grader.run_tests if kind == "tests" else grader.run_examples
    with harness.time_limit(TIME_LIMIT_S) as interrupted:
        results = run(source, on_event=events, interrupted=interrupted, strict=True)
    return json.loads(results.to_json())


def without_durations(results: dict) -> dict:
    for test in results["tests"]:
        test.pop("duration_ms")
    return results


def statuses(results: dict) -> dict:
    return {test["name"]: test["status"] for test in results["tests"]}


@pytest.mark.parametrize("case", CASES)
def test_golden(case):
    folder = GOLDEN / case
    source = (folder / "solution.py").read_text()
    actual = {kind: without_durations(grade(source, kind=kind)) for kind in ("tests", "examples")}
    expected_file = folder / "expected.json"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    assert actual == json.loads(expected_file.read_text())


def test_reference_solution_passes_all_six():
    results = grade((PROBLEM / "solution.py").read_text())
    assert results["status"] == "pass"
    assert list(statuses(results).values()) == ["pass"] * 6
    assert results["version"] == SCHEMA_VERSION


def test_test_names_are_the_seed_names():
    tests = harness.collect_tests((PROBLEM / "tests.py").read_text())
    assert [test.hidden_test_name for test in tests] == TEST_NAMES


def test_db_as_mean_fails_exactly_db_and_larger_batch():
    results = grade((GOLDEN / "db_mean" / "solution.py").read_text())
    failing = [name for name, status in statuses(results).items() if status != "pass"]
    assert failing == [
        "db sums grad_out over the batch dimension",
        "Larger batch shape: gradients still correct",
    ]
    assert set(statuses(results).values()) == {"pass", "fail"}


def test_transposed_dW_fails_the_shape_test_naming_dW():
    results = grade((GOLDEN / "dW_transposed" / "solution.py").read_text())
    shape_test = results["tests"][0]
    assert shape_test["status"] == "fail"
    assert shape_test["message"] == "dW has shape (5, 3) but should be (in, out) = (3, 5)."


def test_syntax_error_names_the_line():
    results = grade((GOLDEN / "syntax_error" / "solution.py").read_text())
    assert results["status"] == "error"
    assert results["error"]["type"] == "SyntaxError"
    assert results["error"]["line"] == 4
    assert all(test["status"] == "error" for test in results["tests"])


def test_exception_reports_the_learner_line_and_only_learner_frames():
    results = grade((GOLDEN / "exception_inside" / "solution.py").read_text())
    error = results["tests"][0]["error"]
    assert error["type"] == "ValueError"
    assert error["line"] == 5
    assert "harness.py" not in error["traceback"] and "checks.py" not in error["traceback"]
    assert "dx = grad_out @ W" in error["traceback"]


def test_mutating_an_input_is_reported_naming_it():
    results = grade((GOLDEN / "mutates_inputs" / "solution.py").read_text())
    assert {test["status"] for test in results["tests"]} == {"fail"}
    assert results["tests"][1]["message"].startswith("Your function changed its input `x` in place.")


def test_zeroing_inputs_and_returning_zeros_cannot_pass():
    source = (
        "import numpy as np\n"
        "def linear_backward(grad_out, x, W):\n"
        "    grad_out[:] = 0; x[:] = 0; W[:] = 0\n"
        "    return np.zeros_like(grad_out @ W.T), np.zeros_like(W), np.zeros(W.shape[1])\n"
    )
    results = grade(source)
    assert {test["status"] for test in results["tests"]} == {"fail"}


def test_infinite_loop_times_out_and_the_rest_are_not_run():
    results = grade((GOLDEN / "infinite_loop" / "solution.py").read_text())
    assert results["status"] == "timeout"
    assert [test["status"] for test in results["tests"]] == ["timeout"] * 6
    assert results["tests"][1]["message"].startswith("Not run: the time limit ran out")


def test_learner_keyboard_interrupt_is_an_error_not_a_timeout():
    results = grade((GOLDEN / "raises_keyboard_interrupt" / "solution.py").read_text())
    assert {test["status"] for test in results["tests"]} == {"error"}


def test_output_is_captured_per_test_and_per_run():
    results = grade((GOLDEN / "prints_output" / "solution.py").read_text())
    assert results["output"].startswith("module loaded\nshapes: (4, 5) (4, 3) (3, 5)\n")
    assert results["tests"][0]["output"] == "shapes: (4, 5) (4, 3) (3, 5)\n"


def test_output_flood_is_cut_with_a_flag():
    source = "for i in range(100_000):\n    print(i)\ndef linear_backward(g, x, W):\n    pass\n"
    results = grade(source)
    assert len(results["output"]) == harness.OUTPUT_LIMIT
    assert results["output_truncated"] is True


def test_events_report_each_test_as_it_starts_and_finishes():
    events = []
    grade((PROBLEM / "solution.py").read_text(), events=events.append)
    assert [(event["event"], event["index"]) for event in events] == [
        (kind, index) for index in range(6) for kind in ("test_started", "test_finished")
    ]
    assert events[1]["result"]["status"] == "pass"


def test_run_json_is_the_worker_entry_point():
    posted = []
    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(SPEC)))
    text = grader.run_json("tests", (PROBLEM / "solution.py").read_text(), posted.append,
                           lambda: False)
    assert json.loads(text)["status"] == Status.PASS
    assert json.loads(posted[-1])["event"] == "test_finished"


def test_a_broken_test_file_is_reported_not_graded():
    with pytest.raises(harness.HarnessError, match="defines no test_"):
        harness.run("def f(): pass", "x = 1\n", "f")


@pytest.mark.parametrize("wrong", SPEC["wrong"], ids=lambda wrong: wrong["name"])
def test_each_known_mistake_gets_its_hint_on_every_test_it_fails(wrong):
    results = grade(wrong["source"])
    failed = [test for test in results["tests"] if test["status"] != "pass"]
    assert failed, f"{wrong['name']} passes every test"
    assert {test["hint"] for test in failed} == {wrong["hint"]}


def test_a_correct_answer_gets_no_hint():
    assert {test["hint"] for test in grade(REFERENCE)["tests"]} == {""}


def test_examples_show_inputs_expected_and_actual_values():
    results = grade(REFERENCE, kind="examples")
    assert results["kind"] == "examples"
    first, second = results["tests"]
    assert first["name"] == "Example 1 — the three gradients, hand-checked (B=1)"
    assert first["status"] == "pass"
    assert first["comparison"] == {
        "inputs": {"grad_out": "[[1, 1, 1]]", "x": "[[1, 2]]", "W": "[[1, 0, 1],\n [0, 1, 1]]"},
        "expected": {"dx": "[[2, 2]]", "dW": "[[1, 1, 1],\n [2, 2, 2]]", "db": "[1, 1, 1]"},
        "actual": {"dx": "[[2, 2]]", "dW": "[[1, 1, 1],\n [2, 2, 2]]", "db": "[1, 1, 1]"},
    }
    # Example 2 states db only; x and W just complete the call.
    assert second["comparison"]["expected"] == {"db": "[4, 6]"}


def test_a_wrong_example_value_is_shown_beside_the_expected_one():
    results = grade((GOLDEN / "db_mean" / "solution.py").read_text(), kind="examples")
    second = results["tests"][1]
    assert second["status"] == "fail"
    assert second["comparison"]["actual"] == {"db": "[2, 3]"}
    assert second["message"].startswith("db differs from the expected value at 2 of 2 entries")


def test_warnings_are_shown_with_the_output():
    source = ("import warnings\n" + REFERENCE.replace(
        "    dx = grad_out @ W.T", "    warnings.warn('careful')\n    dx = grad_out @ W.T"))
    results = grade(source)
    assert results["status"] == "pass"
    assert "UserWarning: careful" in results["tests"][0]["output"]


def test_a_changed_input_gets_the_hint_of_a_mistake_that_changes_the_same_input():
    hint = next(w["hint"] for w in SPEC["wrong"] if w["name"] == "scales_grad_out_in_place")
    scales = REFERENCE.replace("    dx = grad_out @ W.T", "    grad_out /= 2\n    dx = grad_out @ W.T")
    zeroes_x = REFERENCE.replace("    return dx, dW, db", "    x[:] = 0\n    return dx, dW, db")
    first = grade(scales)["tests"][0]
    assert first["message"].startswith("Your function changed its input `grad_out` in place")
    assert first["hint"] == hint
    first = grade(zeroes_x)["tests"][0]
    assert first["message"].startswith("Your function changed its input `x` in place")
    assert first["hint"] == ""  # no known mistake changes x


def test_known_mistakes_print_and_warn_nothing_into_the_learners_output():
    noisy = {"name": "noisy", "hint": "A noisy mistake.", "source": (
        "import warnings\n\ndef linear_backward(grad_out, x, W):\n"
        "    print('from the mistake')\n    warnings.warn('mistake warning')\n"
        "    return grad_out @ W.T, x.T @ grad_out, grad_out.mean(axis=0)\n")}
    spec = {**SPEC, "wrong": [noisy]}
    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(spec)))
    source = (GOLDEN / "db_mean" / "solution.py").read_text()
    results = grader.run_tests(source)
    assert "A noisy mistake." in {test.hint for test in results.tests}
    assert "mistake" not in results.output


def test_a_module_the_worker_could_not_download_keeps_its_own_message():
    # The worker's finder of modules fetched on first import says why one did not come
    # (sitebuild/lazy_modules.py); any other missing module is explained as not available.
    error = ModuleNotFoundError("No module named 'fractions' here: it comes with "
                                "fractions-1.zip, which could not be downloaded.",
                                name="fractions")
    error.not_downloaded = True
    assert harness.explain(error) == str(error)
    assert harness.explain(ModuleNotFoundError("No module named 'torch'", name="torch")) == (
        f"No module named 'torch': {harness.AVAILABLE}.")


def test_the_time_limit_held_while_the_harness_runs_stops_it_at_the_next_test():
    # The limit's signal outside any stretch of grading (here, between two tests) raises
    # nothing; the harness then stops before the next test instead of failing in its own code.
    harness._on_interrupt(signal.SIGINT, None)
    limit = {"passed": False}

    def on_event(event):
        if event["event"] == "test_finished":
            limit["passed"] = True
            harness._on_interrupt(signal.SIGINT, None)

    grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(SPEC)))
    results = grader.run_tests(REFERENCE, on_event=on_event, interrupted=lambda: limit["passed"])
    statuses = [test.status.value for test in results.tests]
    assert statuses == ["pass"] + ["timeout"] * (len(statuses) - 1)
    first = results.tests[0].name
    assert results.tests[1].message == f"Not run: the time limit ran out during '{first}'."


def test_the_time_limit_interrupts_inside_a_stretch_of_grading():
    with pytest.raises(KeyboardInterrupt), harness._interruptible(lambda: False):
        harness._on_interrupt(signal.SIGINT, None)
    with pytest.raises(KeyboardInterrupt), harness._interruptible(lambda: True):
        pass  # the limit passed before the stretch began: it does not start
    harness._on_interrupt(signal.SIGINT, None)  # and outside again, nothing is raised
