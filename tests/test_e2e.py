"""End to end: each engine runs the built site with real Pyodide and NumPy."""

import os
import re
import signal
import threading
from pathlib import Path

import pytest

from conftest import (READY_TIMEOUT_MS, SHARED_MEMORY, STOPPED_BY_REPLACING, STOPPED_IN_PLACE,
                      TEST_NAMES, PageLog, can, needs, wait_ready)

PROBLEM = Path(__file__).resolve().parent.parent / "problems" / "linear-backward"
REFERENCE = (PROBLEM / "solution.py").read_text()
STARTER = (PROBLEM / "starter.py").read_text()
DB_MEAN = REFERENCE.replace("grad_out.sum(axis=0)", "grad_out.mean(axis=0)")
INFINITE_LOOP = "def linear_backward(grad_out, x, W):\n    while True:\n        pass\n"
LOOP_IN_C = (
    "import collections, itertools\n\n"
    "def linear_backward(grad_out, x, W):\n"
    "    collections.deque(itertools.count(), maxlen=0)\n"
)
RECURSION_THROUGH_C = (
    "def g(n):\n    return list(map(g, [n + 1]))\n\n"
    "def linear_backward(grad_out, x, W):\n    return g(0)\n"
)
# Whether recursion through C overflows the engine's stack before Python's own guard of C
# recursion stops it: Chromium's worker stack is the smaller, so Python crashes there; in
# Firefox the guard holds and it is a RecursionError like any other.
RECURSION_THROUGH_C_CRASHES = {"chromium": True, "firefox": False, "webkit": False}
# Writing outside WebAssembly's memory traps in every engine: Python crashes for certain.
OUT_OF_BOUNDS = (
    "import ctypes\n\n"
    "def linear_backward(grad_out, x, W):\n    ctypes.memset(2**32 - 16, 0, 64)\n"
)
SUMMARY = "[data-testid=results-summary]"


def statuses(page) -> dict[str, str]:
    """Each displayed test's name and data-status."""
    return page.eval_on_selector_all(
        "[data-testid=test-result]",
        "items => Object.fromEntries(items.map(i => [i.dataset.testName, i.dataset.status]))",
    )


def message(page, name: str) -> str:
    return page.locator(f"[data-testid=test-result][data-test-name='{name}'] .check-message").inner_text()


def run(page, source: str, *, trigger=None) -> dict[str, str]:
    """Put `source` in the editor, run the tests, wait for the results and return statuses."""
    page.evaluate("source => window.practiceApp.setCode(source)", source)
    (trigger or (lambda: page.click("[data-testid=run-tests]")))()
    page.wait_for_function(
        """() => /^\\d+\\/6 passed$/.test(document.querySelector('[data-testid=results-summary]').textContent)
              && document.querySelector('[data-testid=runtime-status]').dataset.state !== 'running'""",
        timeout=READY_TIMEOUT_MS,
    )
    return statuses(page)


def test_reference_solution_passes_all_six(app):
    assert run(app, REFERENCE) == {name: "pass" for name in TEST_NAMES}
    assert app.inner_text(SUMMARY) == "6/6 passed"


def test_python_runs_the_bytecode_the_build_compiled(app):
    # The standard library's modules and NumPy's load from their .pyc alone (no source beside
    # it); those and the runner's .pyc files are the build's (unchecked-hash, flags 1), not ones
    # Python wrote.
    source = REFERENCE + (
        "\nimport json, sys, numpy\n"
        "def _flags(module):\n"
        "    with open(module.__cached__, 'rb') as file:\n"
        "        return int.from_bytes(file.read(8)[4:], 'little')\n"
        "print('json from', json.__file__)\n"
        "print('numpy from', numpy.__file__)\n"
        "print('flags', _flags(numpy), _flags(numpy.random), _flags(sys.modules['runner.harness']))\n"
    )
    assert run(app, source) == {name: "pass" for name in TEST_NAMES}
    printed = app.inner_text("[data-testid=console]")
    assert re.search(r"^json from /lib/python312\.zip/json/__init__\.pyc$", printed, re.M), printed
    assert re.search(r"^numpy from /lib/python3\.12/site-packages/numpy/__init__\.pyc$",
                     printed, re.M), printed
    assert "flags 1 1 1\n" in printed


LAZY_IMPORTS = REFERENCE + (
    "\nimport fractions, statistics, collections, itertools, functools, heapq, random, math\n"
    "import json, re, dataclasses, typing, decimal, email.mime.text, numpy.polynomial\n"
    "print('mean', statistics.mean([fractions.Fraction(1, 2), 1]),\n"
    "      numpy.polynomial.Polynomial([1, 2])(3), 'caf\\u00e9'.encode('utf-16-le').hex())\n"
    "print('from', statistics.__file__)\n"
)


def test_modules_not_imported_at_start_come_when_first_imported(app):
    # fractions, statistics, the UTF-16 codec and numpy.polynomial are each in an archive of
    # the rest, which the worker fetches when an import first needs it.
    assert run(app, LAZY_IMPORTS) == {name: "pass" for name in TEST_NAMES}
    printed = app.inner_text("[data-testid=console]")
    assert "mean 3/4 7.0 630061006600e900\n" in printed, printed
    assert re.search(r"^from /lib/python_rest/statistics-\w{8}\.zip/statistics\.py$", printed,
                     re.M), printed
    missing = REFERENCE + "\nimport not_a_module_anywhere\n"
    run(app, missing)
    # Any other missing module is missing as before, without a download.
    assert "did not run: ModuleNotFoundError" in app.inner_text("[data-testid=run-outcome]")


def test_modules_fetched_on_first_import_say_so_when_offline_and_come_once_online(
        browser, engine, site_url):
    needs(engine, "route")
    context = browser.new_context(service_workers="block")
    rest = "**/static/python/rest/*.zip"
    context.route(rest, lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    try:
        page.goto(f"{site_url}linear-backward/")
        wait_ready(page)
        run(page, LAZY_IMPORTS)
        error = page.inner_text("[data-testid=run-error]")
        assert re.search(r"ModuleNotFoundError: No module named 'fractions' here: it comes with "
                         r"fractions-\w{8}\.zip, which could not be downloaded\. Are you offline\?",
                         error), error
        context.unroute(rest)
        assert run(page, LAZY_IMPORTS) == {name: "pass" for name in TEST_NAMES}
    finally:
        context.close()


def test_db_as_mean_shows_two_failures_and_four_passes(app):
    result = run(app, DB_MEAN)
    failed = [name for name, status in result.items() if status == "fail"]
    assert failed == [TEST_NAMES[3], TEST_NAMES[5]]
    assert list(result.values()).count("pass") == 4
    assert app.inner_text(SUMMARY) == "4/6 passed"
    assert message(app, TEST_NAMES[3]).startswith("db differs from grad_out.sum(axis=0) at 5 of 5 entries")


def test_infinite_loop_is_interrupted_then_correct_code_passes(app, engine):
    result = run(app, INFINITE_LOOP)
    assert set(result.values()) == {"timeout"}
    assert app.evaluate("typeof SharedArrayBuffer === 'function'") is SHARED_MEMORY[engine]
    # The harness's own message: Python was interrupted in place and the worker kept, through
    # shared memory or, without it (WebKit), on the worker's own clock.
    assert message(app, TEST_NAMES[0]) == STOPPED_IN_PLACE
    wait_ready(app)
    assert app.get_attribute("[data-testid=runtime-status]", "data-state") == "ready"
    assert run(app, REFERENCE) == {name: "pass" for name in TEST_NAMES}


def test_loop_inside_c_is_stopped_by_replacing_the_worker(app):
    result = run(app, LOOP_IN_C)
    assert set(result.values()) == {"timeout"}
    assert message(app, TEST_NAMES[0]) == "Time limit exceeded (3 s): your code was stopped."
    wait_ready(app)
    assert run(app, REFERENCE) == {name: "pass" for name in TEST_NAMES}


def test_the_replaced_worker_does_not_restart_its_successor(app):
    # Chromium stops a worker asleep in time.sleep a second or two after terminate(), then
    # fires its error event: that must not count as a crash of the worker that replaced it.
    watch_status(app)
    run(app, "import time\ndef linear_backward(grad_out, x, W):\n    time.sleep(60)\n")
    wait_ready(app)
    app.wait_for_timeout(4000)
    log = app.evaluate("() => window.statusLog")
    assert not any("crashed" in line for line in log), log
    assert log.count("Restarting Python…") <= 1, log
    assert app.get_attribute("[data-testid=runtime-status]", "data-state") == "ready"


def test_recursion_through_c_crash_is_reported_and_python_restarts(app, app_log, engine):
    result = run(app, RECURSION_THROUGH_C)
    assert result[TEST_NAMES[0]] == "error"
    if RECURSION_THROUGH_C_CRASHES[engine]:
        assert message(app, TEST_NAMES[0]).startswith("Python crashed while running your code")
        # The dying worker's own console report of the fatal error is expected here.
        crash_reports = app_log.take_errors()
        assert any("Pyodide has suffered a fatal error" in line for line in crash_reports)
    else:
        assert message(app, TEST_NAMES[0]).startswith(
            "RecursionError: maximum recursion depth exceeded"), message(app, TEST_NAMES[0])
    wait_ready(app)
    assert run(app, REFERENCE) == {name: "pass" for name in TEST_NAMES}


def test_a_crash_of_python_is_reported_and_python_restarts(app, app_log, engine):
    assert run(app, OUT_OF_BOUNDS)[TEST_NAMES[0]] == "error"
    assert message(app, TEST_NAMES[0]).startswith("Python crashed while running your code")
    if can(engine, "worker_console"):  # Pyodide says so on the worker's console
        assert any("Pyodide has suffered a fatal error" in line for line in app_log.take_errors())
    wait_ready(app)
    assert run(app, REFERENCE) == {name: "pass" for name in TEST_NAMES}


def test_ctrl_enter_runs_the_tests(app):
    def press():
        app.click(".cm-content")
        app.keyboard.press("Control+Enter")

    assert run(app, DB_MEAN, trigger=press)[TEST_NAMES[3]] == "fail"


def test_editor_auto_indents_python(app):
    app.evaluate("() => window.practiceApp.setCode('')")
    app.click(".cm-content")
    app.keyboard.type("def f(x):\n")
    app.keyboard.type("return x")
    assert app.evaluate("() => window.practiceApp.getCode()") == "def f(x):\n    return x"


def test_reset_asks_first_and_restores_the_starter(app):
    app.evaluate("() => window.practiceApp.setCode('# my work')")
    app.click("[data-testid=reset-code]")
    app.click("[data-testid=reset-dialog] button[value=cancel]")
    assert app.evaluate("() => window.practiceApp.getCode()") == "# my work"
    app.click("[data-testid=reset-code]")
    app.click("[data-testid=confirm-reset]")
    # The dialog's close event, which resets the code, comes a task after the click.
    app.wait_for_function("starter => window.practiceApp.getCode() === starter", arg=STARTER)


def test_page_shows_statement_and_pending_tests_then_code_survives_reload(fresh, site_url):
    page = fresh(site_url)
    assert page.get_attribute("[data-testid=runtime-status]", "data-state") in ("loading", "ready")
    assert statuses(page) == {name: "pending" for name in TEST_NAMES}
    assert page.locator(".statement .katex").count() >= 10
    assert page.locator(".statement .katex-display").count() == 1
    assert page.evaluate("crossOriginIsolated") is True
    page.evaluate("source => window.practiceApp.setCode(source)", DB_MEAN)
    page.reload()
    assert page.evaluate("() => window.practiceApp.getCode()") == DB_MEAN
    wait_ready(page)
    assert run(page, DB_MEAN)[TEST_NAMES[3]] == "fail"


def watch_status(page) -> None:
    """Record every text the runtime status shows from now on, in window.statusLog."""
    page.evaluate("""() => {
        const status = document.querySelector('[data-testid=runtime-status]');
        window.statusLog = [];
        new MutationObserver(() => window.statusLog.push(status.textContent))
            .observe(status, { childList: true, characterData: true, subtree: true });
    }""")


def test_without_isolation_runaway_code_is_interrupted_in_place(fresh, plain_site_url):
    # No SharedArrayBuffer here: the worker keeps the time limit on its own clock, so Python is
    # interrupted where it loops and the worker is kept (WebKit took 13-19 s to be ready again
    # when it was replaced).
    page = fresh(plain_site_url)
    assert page.evaluate("crossOriginIsolated") is False
    wait_ready(page)
    watch_status(page)
    result = run(page, INFINITE_LOOP)
    assert set(result.values()) == {"timeout"}
    assert message(page, TEST_NAMES[0]) == "Time limit exceeded: your code was stopped."
    assert page.get_attribute("[data-testid=runtime-status]", "data-state") == "ready"
    assert run(page, REFERENCE) == {name: "pass" for name in TEST_NAMES}
    log = page.evaluate("() => window.statusLog")
    assert "Restarting Python…" not in log, log
    # A loop inside C never returns to the interpreter: the page's timer replaces the worker.
    assert set(run(page, LOOP_IN_C).values()) == {"timeout"}
    assert message(page, TEST_NAMES[0]) == "Time limit exceeded (3 s): your code was stopped."
    wait_ready(page)
    assert run(page, REFERENCE) == {name: "pass" for name in TEST_NAMES}


def test_an_isolated_page_without_shared_memory_starts_and_interrupts_runaway_code(
        browser, engine, site_url):
    # WebKitGTK's default: crossOriginIsolated, yet no SharedArrayBuffer. The page once threw
    # creating the interrupt buffer and stayed at "Starting Python…" for good. Other engines
    # have it, so the test takes it away before the page's scripts run.
    context = browser.new_context(service_workers="block")
    if SHARED_MEMORY[engine]:
        context.add_init_script("delete globalThis.SharedArrayBuffer")
    page = context.new_page()
    log = PageLog(page)
    try:
        page.goto(f"{site_url}linear-backward/")
        assert page.evaluate("crossOriginIsolated && typeof SharedArrayBuffer") == "undefined"
        wait_ready(page)
        assert set(run(page, INFINITE_LOOP).values()) == {"timeout"}
        assert message(page, TEST_NAMES[0]) == STOPPED_IN_PLACE
        assert set(run(page, LOOP_IN_C).values()) == {"timeout"}
        assert message(page, TEST_NAMES[0]) == STOPPED_BY_REPLACING
        wait_ready(page)
        assert run(page, REFERENCE) == {name: "pass" for name in TEST_NAMES}
        assert log.take_errors() == []
    finally:
        context.close()


def test_every_page_records_its_own_errors_for_drivers_without_a_console(browser, site_url):
    # window.practiceErrors (static/js/errors.js) is how WebKit's tests see the page's errors.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    log = PageLog(page)
    try:
        page.goto(site_url)
        assert page.evaluate("() => window.practiceErrors") == []
        page.goto(f"{site_url}linear-backward/")
        wait_ready(page)
        assert page.evaluate("() => window.practiceErrors") == []
        page.evaluate("""() => {
            console.error('logged', {n: 1});
            Promise.reject(new Error('rejected'));
            setTimeout(() => { throw new TypeError('thrown'); });
        }""")
        page.wait_for_function("() => window.practiceErrors.length === 3")
        logged, thrown, rejected = sorted(page.evaluate("() => window.practiceErrors"))
        assert logged == 'console error: logged {"n":1}'
        assert re.fullmatch(r"pageerror: TypeError: thrown( \(.+:\d+\))?", thrown), thrown
        assert rejected == "unhandled rejection: Error: rejected"
        assert any("logged" in line for line in log.take_errors())
    finally:
        context.close()


@pytest.mark.engines("webkit")
def test_webkit_with_shared_array_buffer_interrupts_through_shared_memory(engine, site_url):
    # WebKitGTK as learners have it has no SharedArrayBuffer (every other WebKit test covers
    # that); switched on, the page's own interrupt through shared memory works there too.
    from webkit import launch

    webkit = launch(shared_array_buffer=True)
    try:
        page = webkit.new_context().new_page()
        page.goto(f"{site_url}linear-backward/")
        assert page.evaluate("crossOriginIsolated && typeof SharedArrayBuffer") == "function"
        wait_ready(page)
        assert set(run(page, INFINITE_LOOP).values()) == {"timeout"}
        assert message(page, TEST_NAMES[0]) == "Time limit exceeded: your code was stopped."
        assert run(page, REFERENCE) == {name: "pass" for name in TEST_NAMES}
    finally:
        webkit.close()


@pytest.mark.engines("webkit")
@pytest.mark.parametrize("dies", ["browser", "web process"])
def test_webkit_session_lost_fails_once_then_the_page_is_back(dies, browser, site_url):
    # The adapter's answer to WebKitWebDriver losing a session (tests/webkit.py, SessionLost;
    # conftest reruns such a test once). Killed as a crash would: the session's browser, or,
    # under a call in flight, its page's web process (SIGABRT), as Mesa's software GL once
    # crashed it. The call fails, naming the loss, and the page is open again where it was.
    from webkit import SessionLost, browser_processes

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site_url}linear-backward/")
        wait_ready(page)
        lost = page.driver
        if dies == "browser":
            killed = browser_processes(lost)
            assert killed, "no MiniBrowser under WebKitWebDriver"
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            with pytest.raises(SessionLost, match="lost its session"):
                page.evaluate("1 + 1")
        else:
            killed = browser_processes(lost, "WebKitWebProces")
            assert killed, "no web process under WebKitWebDriver"
            timer = threading.Timer(1, lambda: [os.kill(pid, signal.SIGABRT) for pid in killed])
            timer.start()
            with pytest.raises(SessionLost, match="web process crashed; the driver said "
                                                  "Could not parse script result"):
                page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 5000))")
            timer.join()
        assert page.driver is not lost and browser_processes(page.driver)
        assert page.url == f"{site_url}linear-backward/"
        wait_ready(page)
        assert page.evaluate("1 + 1") == 2
    finally:
        context.close()

