"""End to end: pictures of failed comparisons and figures from problems, in each engine with real
Pyodide; and the accessibility audit after each kind of run, in both themes."""

from __future__ import annotations

import pytest

from conftest import TEST_NAMES, keep_artifacts, open_problem, wait_ready
from test_e2e import DB_MEAN, INFINITE_LOOP, REFERENCE, run
from test_feedback_e2e import audit
from test_series_e2e import BY_SLUG, references_before, storage_entries
from test_series_e2e import run as run_problem

DW_TRANSPOSED = REFERENCE.replace("dW = x.T @ grad_out", "dW = grad_out.T @ x")
DW_FIRST_ROW_DOUBLED = REFERENCE.replace("    db = ", "    dW[0] *= 2\n    db = ")
SYNTAX_ERROR = "import numpy as np\n\n\ndef linear_backward(grad_out, x, W)\n    return 1\n"
HOSTILE_TITLE = '<img src=x onerror="window.pwned = 1"><b>bold</b>'
# Learner code that draws: markup in a title, a curve of a million points, and two figures made
# by hand past the helpers, a dict and an oversized Figure: the first is cut, the others refused.
HOSTILE_FIGURES = f"""
from runner.figures import FigureLog, line
from runner.results import Figure, Series


def _draw():
    line({HOSTILE_TITLE!r}, {{"<script>alert(1)</script>": list(range(10**6))}})
    if FigureLog.figures is not None:
        FigureLog.figures.append({{"kind": "line", "title": "<img src=x onerror='window.pwned = 2'>"}})
        FigureLog.figures.append(Figure("line", "huge", x=[float(i) for i in range(5000)],
                                        series=[Series("s", [1.0] * 5000)]))
""" + REFERENCE.replace("    dx = grad_out @ W.T", "    _draw()\n    dx = grad_out @ W.T")


def result(page, name: str):
    return page.locator(f"[data-testid=test-result][data-test-name='{name}']")


def diff_of(page, name: str):
    """The picture of the test `name`'s failed comparison, once drawn."""
    diff = result(page, name).locator("[data-testid=array-diff]")
    diff.wait_for()
    return diff


def cells(diff, panel: str, selector: str = ".cell"):
    return diff.locator(f"g.panel[data-panel='{panel}'] {selector}")


def test_an_averaged_db_shows_bars_with_every_wrong_entry_marked(app):
    run(app, DB_MEAN)
    diff = diff_of(app, TEST_NAMES[3])
    assert (diff.get_attribute("data-name"), diff.get_attribute("data-kind"),
            diff.get_attribute("data-wrong")) == ("db", "values", "5")
    assert diff.locator("figcaption").inner_text() == "db: 5 of 5 entries wrong"
    for panel in ("Expected", "Yours", "Yours − expected"):
        assert cells(diff, panel, ".bar").count() == 5
        assert cells(diff, panel, ".wrong").count() == 5
    description = diff.locator("svg").get_attribute("aria-label")
    assert "as bars" in description and "outlined: [0], [1], [2], [3], [4]." in description
    # The numbers, on demand, for keyboard and screen-reader users.
    toggle = diff.locator("button.table-toggle")
    toggle.focus()
    app.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    rows = diff.locator("table tbody tr")
    assert rows.count() == 5 and diff.locator("table tr.wrong").count() == 5
    assert rows.first.locator("td").last.inner_text() == "✗ wrong"
    # The larger batch's db too; the passing tests draw nothing.
    assert result(app, TEST_NAMES[5]).locator("[data-testid=array-diff][data-name=db]").count() == 1
    assert result(app, TEST_NAMES[0]).locator("[data-testid=array-diff]").count() == 0


def test_a_transposed_dW_shows_both_heatmaps_to_scale(app):
    run(app, DW_TRANSPOSED)
    diff = diff_of(app, TEST_NAMES[2])
    assert (diff.get_attribute("data-name"), diff.get_attribute("data-kind"),
            diff.get_attribute("data-wrong")) == ("dW", "shape", "15")
    assert diff.locator("figcaption").inner_text() == "dW: shape (5, 3) instead of (3, 5)"
    assert cells(diff, "Expected").count() == 15 and cells(diff, "Yours").count() == 15
    expected = diff.locator("g.panel[data-panel=Expected] .panel-frame").bounding_box()
    yours = diff.locator("g.panel[data-panel=Yours] .panel-frame.shape-wrong").bounding_box()
    # Drawn to scale: (3, 5) is 5 wide and 3 high, yours the other way round.
    assert abs(expected["width"] * 3 - expected["height"] * 5) < 6
    assert abs(yours["width"] - expected["height"]) < 3 and abs(yours["height"] - expected["width"]) < 3
    assert diff.locator(".figure-note").inner_text() == "Your dW transposed (.T) matches the expected value."
    shape_test = result(app, TEST_NAMES[0]).locator("[data-testid=array-diff][data-kind=shape]")
    assert shape_test.get_attribute("data-name") == "dW"


def test_a_wrong_row_of_dW_is_marked_on_the_heatmaps(app):
    run(app, DW_FIRST_ROW_DOUBLED)
    diff = diff_of(app, TEST_NAMES[2])
    assert (diff.get_attribute("data-name"), diff.get_attribute("data-kind"),
            diff.get_attribute("data-wrong")) == ("dW", "values", "5")
    for panel in ("Expected", "Yours", "Yours − expected"):
        assert cells(diff, panel).count() == 15
        assert cells(diff, panel, ".wrong").count() == 5
    wrong_y = {box["y"] for box in (cell.bounding_box() for cell in cells(diff, "Yours", ".wrong").all())}
    assert len(wrong_y) == 1, "the marked cells are one row"
    assert diff.locator(".colour-scale text").count() == 4


@pytest.fixture
def capstone(request, browser, engine, site_url):
    """The capstone's page, with the reference solutions of its parts saved; errors fail."""
    problem = BY_SLUG["train-xor"]
    storage = storage_entries(references_before(problem), {})
    context, page, log = open_problem(browser, site_url, slug="train-xor", storage=storage)
    wait_ready(page)
    yield page, problem
    keep_artifacts(request, page, log)
    errors = log.take_errors()
    context.close()
    assert errors == []


def test_the_capstone_reference_draws_its_loss_curve_and_decision_boundary(capstone):
    page, problem = capstone
    assert run_problem(page, problem.files["solution.py"]) == "6/6 passed"
    losses = page.locator("[data-test-name^='losses:'] [data-testid=figure]")
    losses.wait_for()
    assert losses.get_attribute("data-kind") == "line"
    assert losses.locator("figcaption").inner_text() == "Training loss per step (seed 0)"
    curve = losses.locator("path.curve")
    assert curve.count() == 1 and curve.get_attribute("d").count("L") == 499
    log_toggle = losses.get_by_role("button", name="Log scale")
    assert log_toggle.get_attribute("aria-pressed") == "true"
    assert "(log)" in losses.locator("svg").text_content()
    log_toggle.click()
    assert log_toggle.get_attribute("aria-pressed") == "false"
    assert "(log)" not in losses.locator("svg").text_content()
    boundary = page.locator("[data-test-name^='Classifies'] [data-testid=figure]")
    assert boundary.get_attribute("data-kind") == "field"
    assert boundary.locator(".field-cells rect").count() == 31 * 31
    assert len(boundary.locator("path.boundary").get_attribute("d")) > 100
    assert boundary.locator("svg > rect.point.class-0").count() == 2
    assert boundary.locator("svg > circle.point.class-1").count() == 2
    assert "4 points on top" in boundary.locator("svg").get_attribute("aria-label")
    seeds = page.locator("[data-test-name^='Learns XOR from other seeds'] [data-testid=figure]")
    assert seeds.locator("path.curve").count() == 3
    assert run_problem(page, problem.files["solution.py"], kind="examples")
    page.locator("[data-testid=example-result] [data-testid=figure]").nth(1).wait_for()
    assert page.locator("[data-testid=example-result] [data-testid=figure][data-kind=line]").count() == 2


def test_softmax_examples_draw_expected_and_actual_probabilities_as_bars(browser, site_url, request):
    context, page, log = open_problem(browser, site_url, slug="softmax")
    try:
        wait_ready(page)
        run_problem(page, BY_SLUG["softmax"].files["solution.py"], kind="examples")
        figures = page.locator("[data-testid=example-result] [data-testid=figure][data-kind=bars]")
        figures.first.wait_for()
        assert figures.count() == 3
        assert figures.first.locator("rect.bar.series-0").count() == 3 + 1  # 3 bars and the legend's
        assert figures.first.locator("rect.bar.series-1").count() == 3 + 1
    finally:
        keep_artifacts(request, page, log)
        errors = log.take_errors()
        context.close()
    assert errors == []


def test_figures_from_learner_code_cannot_inject_markup_and_are_cut(app):
    assert set(run(app, HOSTILE_FIGURES).values()) == {"pass"}
    figures = app.locator("[data-testid=test-result] [data-testid=figure]")
    figures.first.wait_for()
    assert figures.count() == len(TEST_NAMES), "the dict and the oversized Figure are refused"
    first = figures.first
    assert first.locator("figcaption").inner_text() == HOSTILE_TITLE
    assert first.locator(".figure-note").inner_text() == "1000 of 1000000 points drawn, evenly spaced."
    assert first.locator("path.curve").get_attribute("d").count("L") == 999
    assert app.locator(".results img, .results script, .results b").count() == 0
    assert app.evaluate("() => window.pwned") is None


RUNS = {
    "pass": (REFERENCE, "pass"),
    "fail with pictures": (DB_MEAN, "fail"),
    "error": (SYNTAX_ERROR, "error"),
    "timeout": (INFINITE_LOOP, "timeout"),
}


@pytest.mark.parametrize("kind", RUNS)
def test_no_serious_accessibility_violations_after_each_kind_of_run(app, kind):
    source, status = RUNS[kind]
    assert status in run(app, source).values()
    if kind == "fail with pictures":
        diff_of(app, TEST_NAMES[3])
        result(app, TEST_NAMES[3]).get_by_role("button", name="Show the numbers").click()
    if kind == "error":
        assert app.locator(".cm-error-line").count() == 1
    try:
        for theme in ("light", "dark"):
            app.evaluate("theme => { document.documentElement.dataset.theme = theme; }", theme)
            assert audit(app) == [], theme
    finally:
        app.evaluate("() => { delete document.documentElement.dataset.theme; }")
