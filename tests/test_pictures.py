"""The harness's pictures and figures under CPython: what a failed comparison carries, the caps
and the summary of large arrays, and the validation that refuses or cuts what learner code draws."""

import json

import numpy as np
import pytest

from runner import figures, harness
from runner.checks import Failure, expect_close, expect_shape
from runner.results import Figure, Grid, Series
from test_harness import grade

TESTS = '''
import numpy as np
from runner.checks import call, expect_close, hidden_test
from runner.figures import example_figure, line

@hidden_test("draws and judges")
def test_draws(f):
    line("Loss", {"loss": np.array([1.0, 0.5, 0.25])}, log_y=True)
    expect_close("out", call(f, np.ones(3)), np.ones(3))
'''


def failure_of(check, *args, **options) -> Failure:
    with pytest.raises(Failure) as caught:
        check(*args, **options)
    return caught.value


def run_figures(source: str, tests: str = TESTS) -> dict:
    results = harness.run(source, tests, "f", strict=True)
    return json.loads(results.to_json())["tests"][0]


def test_a_failed_comparison_carries_expected_actual_difference_and_the_wrong_entries():
    want = np.arange(12.0).reshape(3, 4)
    got = want.copy()
    got[1, 2] += 5
    picture = failure_of(expect_close, "dW", got, want).picture
    assert (picture.kind, picture.layout, picture.wrong, picture.size) == ("values", "heatmap", 1, 12)
    assert (picture.expected.rows, picture.expected.cols) == (3, 4)
    assert picture.marked == [6]
    assert picture.difference.values[6] == 5.0 and picture.scale == 11.0


def test_a_1d_comparison_is_drawn_as_bars():
    picture = failure_of(expect_close, "db", np.array([2.0, 3.0]), np.array([4.0, 6.0])).picture
    assert (picture.layout, picture.marked, picture.actual.values) == ("bars", [0, 1], [2.0, 3.0])


def test_a_shape_mismatch_draws_both_shapes_and_names_a_transpose():
    want = np.arange(6.0).reshape(2, 3)
    picture = failure_of(expect_close, "dW", want.T, want).picture
    assert (picture.kind, picture.expected_shape, picture.actual_shape, picture.wrong) == (
        "shape", [2, 3], [3, 2], 6)
    assert picture.note == "Your dW transposed (.T) matches the expected value."
    only_shape = failure_of(expect_shape, "dx", np.zeros(5), (5, 1)).picture
    assert only_shape.expected.values == [] and only_shape.actual.values == [0.0] * 5


def test_non_finite_entries_are_marked_and_sent_as_null():
    got = np.array([1.0, np.nan, np.inf])
    picture = failure_of(expect_close, "p", got, np.ones(3)).picture
    assert picture.marked == [1, 2] and picture.actual.values == [1.0, None, None]
    json.dumps(figures.validated_picture(picture).__dict__, default=vars, allow_nan=False)


def test_arrays_above_64_a_side_are_summarised_with_a_note():
    want = np.zeros((200, 130))
    got = want.copy()
    got[150, 7] = 1.0
    picture = failure_of(expect_close, "big", got, want).picture
    assert (picture.expected.rows, picture.expected.cols) == (50, 44)
    assert picture.marked == [37 * 44 + 2]
    assert picture.difference.values[37 * 44 + 2] == 1.0  # the block's largest, not its mean
    assert picture.actual.values[37 * 44 + 2] == pytest.approx(1 / 12)  # the block's mean
    assert picture.note.startswith("200 x 130 entries drawn as 50 x 44 cells of 4 x 3")
    assert len(json.dumps(picture.__dict__, default=vars)) < 200_000


def test_more_than_two_axes_are_stacked_into_rows():
    want = np.zeros((2, 3, 4))
    picture = failure_of(expect_close, "h", want + 1, want).picture
    assert (picture.expected.rows, picture.expected.cols) == (6, 4)
    assert "leading axes of (2, 3, 4) stacked" in picture.note


def test_figures_drawn_by_a_test_reach_its_result_even_when_it_fails():
    result = run_figures("def f(x):\n    return x * 2\n")
    assert result["status"] == "fail" and result["picture"]["name"] == "out"
    assert [(f["kind"], f["title"], f["log_y"]) for f in result["figures"]] == [("line", "Loss", True)]
    assert result["figures"][0]["series"] == [{"name": "loss", "values": [1.0, 0.5, 0.25]}]


def test_a_long_curve_is_thinned_to_the_cap_keeping_its_ends():
    figure = figures.line("t", np.arange(5000.0))
    assert len(figure.x) == figures.LINE_POINTS and figure.x[0] == 0 and figure.x[-1] == 4999
    assert figure.note == "1000 of 5000 points drawn, evenly spaced."


def test_values_that_are_not_numbers_give_a_note_not_a_figure():
    assert figures.line("t", ["<b>", "x"]).note == "Not drawn: the curve is not a list of numbers."
    assert figures.line("t", [1.0, np.nan]).series[0].values == [1.0, None]


def test_learner_code_cannot_pass_markup_or_huge_figures_through_the_results():
    source = '''
from runner.figures import FigureLog, line
from runner.results import Figure, Grid, Series

def f(x):
    line("<img src=x onerror=alert(1)>" * 50, {"s": list(range(10**5))})
    FigureLog.figures.append({"kind": "line", "title": "<script>"})
    FigureLog.figures.append(Figure("line", "huge", x=[0.0] * 5000, series=[Series("s", [1.0] * 5000)]))
    FigureLog.figures.append(Figure("<svg>", "unknown kind"))
    FigureLog.figures.append(Figure("field", "bad grid", grid=Grid(2, 2, ["<b>"] * 4)))
    FigureLog.figures.append(Figure("line", "nan", x=[0.0], series=[Series("s", [float("nan")])]))
    return x
'''
    result = run_figures(source)
    assert result["status"] == "pass", result["error"]["traceback"]
    [_, kept] = result["figures"]
    assert len(kept["title"]) == figures.TITLE_LIMIT and kept["title"].endswith("…")
    assert len(kept["x"]) == figures.LINE_POINTS


def test_a_forged_picture_is_refused():
    forged = figures.values_picture("a", np.ones(2), np.zeros(2), np.ones(2, bool))
    forged.expected = Grid(1, 2, ["<b>", 1.0])
    assert figures.validated_picture(forged) is None
    assert figures.validated_picture({"name": "x"}) is None


def test_too_many_figures_are_cut_to_the_cap():
    drawn = [Figure("bars", str(i), categories=["a"], series=[Series("s", [1.0])])
             for i in range(10)]
    assert len(figures.validated(drawn)) == figures.FIGURES_PER_CHECK


def test_example_figures_see_the_learners_values_and_the_expected():
    results = grade(open(__file__.replace("test_pictures.py", "golden/db_mean/solution.py")).read(),
                    kind="examples")
    assert [t["picture"]["name"] if t["picture"] else None for t in results["tests"]] == [None, "db"]
    spec = harness.ProblemSpec("f", TESTS.replace(
        'line("Loss"', 'pass  # line("Loss"') + '''
@example_figure
def drawn(example):
    line(example.name, {"yours": example.actual["out"], "expected": example.expected["out"]})
''', examples=[harness.Example("E", [("x", [1.0, 2.0])], [("out", [1.0, 2.0])])])
    result = harness.Grader(spec).run_examples("def f(x):\n    return x\n").tests[0]
    assert result.status.value == "pass"
    assert [(s.name, s.values) for s in result.figures[0].series] == [
        ("yours", [1.0, 2.0]), ("expected", [1.0, 2.0])]
