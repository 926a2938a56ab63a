"""End to end: the shape lens beside the learner's lines, in each engine with real Pyodide."""

from conftest import TEST_NAMES, wait_ready
from test_e2e import REFERENCE, run
from test_feedback_e2e import run_examples

LENS = "[data-testid=shape-lens]"
TOGGLE = "[data-testid=shape-lens-toggle]"
CALL = "[data-testid=shape-lens-call]"
DW_TRANSPOSED = (
    "import numpy as np\n"
    "\n"
    "def linear_backward(grad_out, x, W):\n"
    "    dx = grad_out @ W.T\n"
    "    dW = grad_out.T @ x\n"
    "    db = grad_out.sum(axis=0)\n"
    "    return dx, dW, db\n"
)
ONE_LINE_RETURN = (
    "def linear_backward(grad_out, x, W):\n"
    "    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)\n"
)
# The loop and the array run in the first call only (the one the lens records), so that six of
# them on a machine busy with other tests cannot take the run past its time limit by themselves.
LONG_LOOP_AND_HUGE_ARRAY = REFERENCE.replace("    return dx, dW, db", (
    "    if not calls:\n"
    "        calls.append(1)\n"
    "        total = 0\n"
    "        for i in range(10**6):\n"
    "            total += i\n"
    "        huge = np.zeros(10**7)\n"
    "    return dx, dW, db"
)).replace("import numpy as np\n", "import numpy as np\n\ncalls = []\n")


def lens(page) -> dict[int, str]:
    """The lens's entries in the editor: {line: text}."""
    return page.eval_on_selector_all(
        LENS, "items => Object.fromEntries(items.map(i => [i.dataset.line, i.textContent]))"
    )


def typed(page, text: str) -> None:
    """Wait until the editor has taken in typed `text` (CodeMirror reads key input a moment later)."""
    page.wait_for_function("text => window.practiceApp.getCode().includes(text)", arg=text)


def line_of(source: str, text: str) -> str:
    """The 1-based line number (as the lens's data-line) of the line of `source` holding `text`."""
    return str(next(n for n, line in enumerate(source.splitlines(), 1) if text in line))


def test_a_transposed_dW_shows_its_shape_on_its_line(app):
    result = run(app, DW_TRANSPOSED)
    assert result[TEST_NAMES[0]] == "fail"
    entries = lens(app)
    # x is (4, 3) and grad_out (4, 5) in the first test: dW comes out (5, 3), not (3, 5).
    assert entries[line_of(DW_TRANSPOSED, "dW =")] == "dW (5, 3) float64"
    assert entries[line_of(DW_TRANSPOSED, "dx =")] == "dx (4, 3) float64"
    assert entries[line_of(DW_TRANSPOSED, "return")] == "→ dx (4, 3), dW (5, 3), db (5,)"
    assert app.inner_text(CALL) == (f"Shapes beside your code: the first call in “{TEST_NAMES[0]}” "
                                    "(the first test that did not pass).")
    items = app.locator("[data-testid=shape-lens-item]").all_text_contents()
    assert f"Line {line_of(DW_TRANSPOSED, 'dW =')}: dW (5, 3) float64" in items


def test_a_one_line_return_shows_the_three_returned_shapes(app):
    assert run(app, ONE_LINE_RETURN) == {name: "pass" for name in TEST_NAMES}
    assert lens(app) == {"2": "→ dx (4, 3), dW (3, 5), db (5,)"}
    assert "every test passed, so the first test" in app.inner_text(CALL)


def test_a_long_loop_and_a_huge_array_pass_with_the_loop_count_capped(app):
    source = LONG_LOOP_AND_HUGE_ARRAY
    assert run(app, source) == {name: "pass" for name in TEST_NAMES}
    entries = lens(app)
    assert entries[line_of(source, "total += i")] == "total int  ×500+"
    assert entries[line_of(source, "for i in")] == "i int  ×500+"
    assert entries[line_of(source, "huge =")] == "huge (10000000,) float64"
    assert entries[line_of(source, "return")] == "→ dx (4, 3), dW (3, 5), db (5,)"


def test_examples_show_the_first_examples_call(app):
    run_examples(app, REFERENCE)
    assert lens(app)[line_of(REFERENCE, "dW =")] == "dW (2, 3) float64"
    assert "the first example" in app.inner_text(CALL)


def test_an_edited_line_loses_its_entry(app):
    run(app, DW_TRANSPOSED)
    line = line_of(DW_TRANSPOSED, "dW =")
    assert line in lens(app)
    app.click(f".cm-line:nth-child({line})")
    app.keyboard.press("End")
    app.keyboard.type("  # transposed?")
    typed(app, "# transposed?")
    # CodeMirror redraws its widgets a frame after the edit.
    app.wait_for_selector(f"{LENS}[data-line='{line}']", state="detached")
    entries = lens(app)
    assert line not in entries
    assert entries[line_of(DW_TRANSPOSED, "db =")] == "db (5,) float64"
    # A line added above moves the others' entries along with their lines.
    app.click(".cm-line:nth-child(1)")
    app.keyboard.press("End")
    app.keyboard.press("Enter")
    typed(app, "np\n\n\n")
    moved = str(int(line_of(DW_TRANSPOSED, "db =")) + 1)
    app.wait_for_selector(f"{LENS}[data-line='{moved}']")
    assert lens(app)[moved] == "db (5,) float64"


def test_the_toggle_hides_the_lens_and_is_remembered(fresh, site_url):
    page = fresh(site_url)
    wait_ready(page)
    run(page, DW_TRANSPOSED)
    assert lens(page)
    page.click(TOGGLE)
    assert page.get_attribute(TOGGLE, "aria-pressed") == "false"
    assert lens(page) == {}
    assert page.locator("[data-testid=shape-lens-report]").is_hidden()
    page.reload()
    wait_ready(page)
    assert page.get_attribute(TOGGLE, "aria-pressed") == "false"
    run(page, DW_TRANSPOSED)
    assert lens(page) == {}
    page.click(TOGGLE)
    run(page, DW_TRANSPOSED)
    assert lens(page)[line_of(DW_TRANSPOSED, "dW =")] == "dW (5, 3) float64"


def test_monitoring_tools_learner_code_takes_are_freed_after_it(app):
    # Pyodide's Python is 3.12, with sys.monitoring (the suite's CPython may be older): a tool
    # the learner's code takes, with a callback of its own, is gone before the next run.
    grabs = REFERENCE.replace("    return dx, dW, db", (
        "    import sys\n"
        "    if sys.monitoring.get_tool(3) is None:\n"
        "        sys.monitoring.use_tool_id(3, 'mine')\n"
        "        sys.monitoring.set_events(3, sys.monitoring.events.LINE)\n"
        "        sys.monitoring.register_callback(3, sys.monitoring.events.LINE, lambda c, l: None)\n"
        "    return dx, dW, db"))
    assert run(app, grabs) == {name: "pass" for name in TEST_NAMES}
    checks = REFERENCE.replace("    return dx, dW, db", (
        "    import sys\n"
        "    print('tool 3:', sys.monitoring.get_tool(3))\n"
        "    return dx, dW, db"))
    assert run(app, checks) == {name: "pass" for name in TEST_NAMES}
    assert "tool 3: None" in app.inner_text("[data-testid=console]")
    run(app, DW_TRANSPOSED)
    assert lens(app)[line_of(DW_TRANSPOSED, "dW =")] == "dW (5, 3) float64"
