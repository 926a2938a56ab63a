"""End to end: the feedback a learner gets beyond pass/fail, in each engine with real Pyodide."""

import json
from pathlib import Path

import pytest

from conftest import needs, wait_ready
from test_e2e import DB_MEAN, PROBLEM, REFERENCE, STARTER, TEST_NAMES, message, run, statuses

ROOT = Path(__file__).resolve().parent.parent
AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WRONG = sorted((PROBLEM / "wrong").glob("*.py"))
EXAMPLES = [
    "Example 1 — the three gradients, hand-checked (B=1)",
    "Example 2 — the bias gradient sums over the batch",
]


def hint_of(path: Path) -> str:
    import ast

    return " ".join(ast.get_docstring(ast.parse(path.read_text())).split())


def run_examples(page, source: str) -> dict[str, str]:
    page.evaluate("source => window.practiceApp.setCode(source)", source)
    page.click("[data-testid=run-examples]")
    page.wait_for_function(
        """() => document.querySelector('[data-testid=runtime-status]').dataset.state === 'ready'
              && [...document.querySelectorAll('[data-testid=example-result]')]
                   .every(e => e.dataset.status !== 'pending')"""
    )
    return page.eval_on_selector_all(
        "[data-testid=example-result]",
        "items => Object.fromEntries(items.map(i => [i.dataset.exampleName, i.dataset.status]))",
    )


def audit(page) -> list[dict]:
    """Serious and critical accessibility violations found by axe-core."""
    page.evaluate(AXE)
    violations = page.evaluate(
        "async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact, "
        "targets: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_examples_show_expected_beside_actual_for_a_wrong_solution(app):
    assert run_examples(app, DB_MEAN) == {EXAMPLES[0]: "pass", EXAMPLES[1]: "fail"}
    second = app.locator("[data-testid=example-result]").nth(1)
    row = second.locator("tr", has_text="db")
    assert row.locator("td").all_inner_texts() == ["[4, 6]", "[2, 3]"]
    assert second.locator("tr.input").count() == 3
    assert "grad_out (input)" in second.inner_text()


def test_examples_pass_for_the_reference_with_ctrl_shift_enter(app):
    app.evaluate("source => window.practiceApp.setCode(source)", REFERENCE)
    app.click(".cm-content")
    app.keyboard.press("Control+Shift+Enter")
    app.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=example-result]')]"
        ".every(e => e.dataset.status === 'pass')"
    )


@pytest.mark.parametrize("wrong", WRONG, ids=lambda path: path.stem)
def test_each_known_mistake_shows_its_hint(app, wrong):
    result = run(app, wrong.read_text())
    failing = [name for name, status in result.items() if status != "pass"]
    assert failing
    for name in failing:
        hint = app.locator(f"[data-testid=test-result][data-test-name='{name}'] .check-hint")
        assert hint.inner_text() == f"Hint: {hint_of(wrong)}"


def test_syntax_error_marks_its_line_until_the_code_changes(app):
    source = "import numpy as np\n\n\ndef linear_backward(grad_out, x, W)\n    return 1\n"
    result = run(app, source)
    assert set(result.values()) == {"error"}
    assert app.get_attribute(".cm-error-line", "data-error-line") == "4"
    assert app.inner_text(".cm-error-line") == "def linear_backward(grad_out, x, W)"
    assert "SyntaxError" in app.inner_text("[data-testid=run-error]")
    app.click(".cm-content")
    app.keyboard.press("End")
    app.keyboard.type(" ")
    assert app.locator(".cm-error-line").count() == 0


def test_exception_shows_only_learner_frames_and_marks_the_line(app):
    source = REFERENCE.replace("dx = grad_out @ W.T", "dx = grad_out @ W")
    result = run(app, source)
    assert result[TEST_NAMES[0]] == "error"
    traceback = app.locator("[data-testid=test-result]").first.locator(".check-traceback").inner_text()
    assert 'File "your_code.py", line 6, in linear_backward' in traceback
    assert "harness" not in traceback and "checks.py" not in traceback
    assert app.get_attribute(".cm-error-line", "data-error-line") == "6"


def test_a_million_printed_lines_are_cut_and_the_page_stays_responsive(app):
    flood = "for i in range(10**6):\n    print(i)\n" + REFERENCE
    result = run(app, flood)
    assert set(result.values()) == {"pass"}
    console = app.inner_text("[data-testid=console]")
    assert console.startswith("0\n1\n2\n")
    assert console.endswith("only the first 20,000 characters are kept.")
    assert len(console) < 21_000
    assert app.evaluate("() => 1 + 1") == 2


def test_output_is_shown_per_test(app):
    source = REFERENCE.replace("    dx = grad_out @ W.T", "    print('B =', len(x))\n    dx = grad_out @ W.T")
    run(app, source)
    first = app.locator("[data-testid=test-result]").first
    # A passing test's output is folded (issue #19: shown whole in the console below).
    first.locator("summary", has_text="Printed output (1 line)").click()
    assert first.locator(".check-output").inner_text() == "Printed:\nB = 4"
    assert app.inner_text("[data-testid=console]").startswith("B = 4\nB = 4\n")


def test_editor_comfort_keys(app):
    app.evaluate("() => window.practiceApp.setCode('x = 1')")
    app.click(".cm-content")
    app.keyboard.press("Control+/")
    assert app.evaluate("() => window.practiceApp.getCode()") == "# x = 1"
    app.keyboard.press("Control+/")
    app.keyboard.press("Home")
    app.keyboard.press("Tab")
    assert app.evaluate("() => window.practiceApp.getCode()") == "    x = 1"
    assert "Ctrl+Enter" in app.get_attribute("[data-testid=run-tests]", "title")
    assert "Ctrl+Shift+Enter" in app.get_attribute("[data-testid=run-examples]", "title")


def test_hints_open_one_at_a_time(app):
    hints = app.locator("[data-testid=hint]")
    assert hints.count() == 3
    assert [hints.nth(i).is_visible() for i in range(3)] == [False, False, False]
    app.click("[data-testid=show-hint]")
    assert [hints.nth(i).is_visible() for i in range(3)] == [True, False, False]
    app.click("[data-testid=show-hint]")
    app.click("[data-testid=show-hint]")
    assert [hints.nth(i).is_visible() for i in range(3)] == [True, True, True]
    assert not app.is_visible("[data-testid=show-hint]")


def test_solution_is_shown_after_a_run_behind_a_confirmation(app):
    run(app, DB_MEAN)
    app.click("[data-testid=show-solution]")
    app.click("[data-testid=solution-dialog] button[value=cancel]")
    assert not app.is_visible("[data-testid=solution]")
    app.click("[data-testid=show-solution]")
    app.click("[data-testid=confirm-solution]")
    app.wait_for_selector("[data-testid=solution]", state="visible")
    assert app.inner_text("[data-testid=solution]") == REFERENCE
    assert app.evaluate("() => window.practiceApp.getCode()") == DB_MEAN


def test_splitter_resizes_from_the_keyboard(app):
    splitter = app.locator("[data-testid=splitter]")
    before = app.locator(".statement").bounding_box()["width"]
    splitter.focus()
    app.keyboard.press("ArrowRight")
    assert splitter.get_attribute("aria-valuenow") == "55"
    assert app.locator(".statement").bounding_box()["width"] > before
    app.keyboard.press("ArrowLeft")


def test_results_are_announced_in_a_live_region(app):
    run(app, DB_MEAN)
    announcer = app.locator("[data-testid=announcer]")
    assert announcer.get_attribute("aria-live") == "polite"
    assert announcer.inner_text() == "4 of 6 hidden tests passed."


def test_no_serious_accessibility_violations_before_and_after_a_run(fresh, site_url):
    page = fresh(site_url)
    wait_ready(page)
    assert audit(page) == []
    run(page, DB_MEAN)
    assert audit(page) == []


def test_solved_state_theme_and_code_survive_a_reload(fresh, site_url):
    page = fresh(site_url)
    wait_ready(page)
    assert page.is_hidden("[data-testid=solved-badge]")
    run(page, REFERENCE)
    assert page.inner_text("[data-testid=solved-badge]").startswith("✓ Solved ")
    page.click("[data-testid=theme-toggle]")
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.click("[data-testid=theme-toggle]")
    page.reload()
    assert page.inner_text("[data-testid=solved-badge]").startswith("✓ Solved ")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("() => window.practiceApp.getCode()") == REFERENCE


def test_saved_code_meets_a_changed_starter(fresh, engine, site_url):
    needs(engine, "init_script")
    page = fresh(site_url)
    old = json.dumps({"code": "# my old work", "starterVersion": "an-older-starter"})
    # Stored before the page's scripts run on each load, as an earlier visit would have left it.
    page.context.add_init_script(
        f"localStorage.setItem('ml-practice:v1:code:linear-backward', {json.dumps(old)})"
    )
    page.reload()
    assert page.is_visible("[data-testid=starter-changed]")
    assert page.evaluate("() => window.practiceApp.getCode()") == "# my old work"
    page.click("[data-testid=keep-code]")
    assert page.is_hidden("[data-testid=starter-changed]")
    assert page.evaluate("() => window.practiceApp.getCode()") == "# my old work"
    page.reload()
    page.click("[data-testid=use-new-starter]")
    assert page.evaluate("() => window.practiceApp.getCode()") == STARTER


def test_narrow_screens_stack_statement_above_editor(fresh, site_url):
    page = fresh(site_url)
    page.set_viewport_size({"width": 600, "height": 900})
    statement = page.locator(".statement").bounding_box()
    editor = page.locator("[data-testid=editor]").bounding_box()
    assert statement["y"] + statement["height"] <= editor["y"] + 1
    assert page.is_hidden("[data-testid=splitter]")


def test_code_area_and_python_start_before_the_page_script_runs(
        browser, engine, site_url):
    """boot.js, inline in the page, opens the code area and starts Python; app.js is held."""
    needs(engine, "init_script")
    needs(engine, "route")
    context = browser.new_context(service_workers="block")
    saved = {"code": "def linear_backward(grad_out, x, W):\n    return 1", "starterVersion": "x"}
    context.add_init_script(
        f"localStorage.setItem('ml-practice:v1:code:linear-backward', {json.dumps(json.dumps(saved))})")
    held = []
    context.route("**/static/js/app-*.js", lambda route: held.append(route))
    page = context.new_page()
    try:
        page.goto(f"{site_url}linear-backward/", wait_until="commit")
        fallback = page.locator("[data-testid=code-fallback]:not([readonly])")
        fallback.wait_for()
        assert fallback.input_value() == saved["code"]
        fallback.click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" + 1")
        assert held and page.evaluate("() => window.practiceApp") is None
        page.wait_for_function("() => window.practiceRuntime.status.state === 'ready'",
                               timeout=60_000)
        for route in held:
            route.continue_()
        page.wait_for_selector(".cm-content")
        assert page.evaluate("() => window.practiceApp.getCode()") == saved["code"] + " + 1"
    finally:
        context.close()


def test_typing_before_the_code_editor_loads_is_kept(browser, engine, site_url):
    """The plain text area takes input at once; CodeMirror then takes over its text and focus."""
    needs(engine, "route")
    context = browser.new_context(service_workers="block")
    held = []
    context.route("**/chunks/editor-*.js", lambda route: held.append(route))
    page = context.new_page()
    try:
        # Not until "load": Firefox holds the load event for the held editor chunk.
        page.goto(f"{site_url}linear-backward/", wait_until="domcontentloaded")
        fallback = page.locator("[data-testid=code-fallback]:not([readonly])")
        fallback.wait_for()
        fallback.click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\n# typed early")
        page.wait_for_function("() => window.practiceApp.getCode().endsWith('# typed early')")
        assert held, "the editor's script was not held back"
        for route in held:
            route.continue_()
        page.wait_for_selector(".cm-content")
        assert page.locator("[data-testid=code-fallback]").count() == 0
        assert page.evaluate("() => window.practiceApp.getCode()").endswith("\n# typed early")
        page.keyboard.type("!")
        assert page.evaluate("() => window.practiceApp.getCode()").endswith("\n# typed early!")
    finally:
        context.close()
