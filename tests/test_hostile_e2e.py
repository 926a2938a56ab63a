"""Hostile code and bad conditions in the browser: every case ends in a specific message, a
responsive page, the learner's code intact, and a next correct run that passes."""

import os
import shutil
import time

import pytest

from conftest import needs, open_problem, wait_ready
from sitebuild.runtime import PYODIDE_PATH
from sitebuild.serve import make_server
from test_e2e import REFERENCE, TEST_NAMES, message, run

ALL_PASS = {name: "pass" for name in TEST_NAMES}

# (case, learner source, status of the first test, text in its message)
BROWSER_CASES = {
    "sleep_60_s": ("import time\ndef linear_backward(g, x, W):\n    time.sleep(60)\n",
                   "timeout", "Time limit exceeded"),
    "recursion_in_python": ("def linear_backward(g, x, W):\n    return linear_backward(g, x, W)\n",
                            "error", "maximum recursion depth exceeded"),
    "huge_allocation": ("import numpy as np\ndef linear_backward(g, x, W):\n"
                        "    return np.zeros((100000, 100000))\n",
                        "error", "(line 3 of your code)"),
    "growing_allocation": ("import numpy as np\ndef linear_backward(g, x, W):\n"
                           "    blocks = []\n    while True:\n"
                           "        blocks.append(np.empty(10**8, dtype=np.int8))\n",
                           "error", "more memory than the browser gives Python"),
    "os_exit": ("import os\ndef linear_backward(g, x, W):\n    os._exit(0)\n",
                "error", "os._exit(0) was called"),
    "sys_exit": ("import sys\ndef linear_backward(g, x, W):\n    sys.exit()\n",
                 "error", "called sys.exit()"),
    "raise_base_exception": ("def linear_backward(g, x, W):\n    raise BaseException\n",
                             "error", "BaseException (line 2 of your code)"),
    "input": ("def linear_backward(g, x, W):\n    return input()\n",
              "error", "input() has nothing to read here"),
    "import_torch": ("import torch\n", "error", "No module named 'torch': only NumPy"),
    "import_scipy": ("import scipy\n", "error", "No module named 'scipy': only NumPy"),
}


@pytest.mark.parametrize("case", list(BROWSER_CASES))
def test_hostile_code_gets_a_clear_result_and_the_next_run_passes(app, case):
    source, status, text = BROWSER_CASES[case]
    result = run(app, source)
    assert result[TEST_NAMES[0]] == status
    assert text in message(app, TEST_NAMES[0])
    assert app.evaluate("() => window.practiceApp.getCode()") == source
    wait_ready(app)
    assert run(app, REFERENCE) == ALL_PASS, message(app, TEST_NAMES[0])


def test_printed_html_and_messages_are_shown_as_text(app):
    dialogs = []
    app.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = "<img src=x onerror=alert(1)>"
    source = (f"print({payload!r})\n"
              f"def linear_backward(g, x, W):\n    raise ValueError({payload!r})\n")
    run(app, source)
    assert payload in app.inner_text("[data-testid=console]")
    assert payload in message(app, TEST_NAMES[0])
    assert app.locator(".results img, .statement ~ * img").count() == 0
    app.wait_for_timeout(200)
    assert dialogs == []


def test_non_ascii_code_and_output(app):
    source = REFERENCE.replace("    dx = grad_out @ W.T",
                               "    größe = len(x)\n    print('größe ✓ 梯度', größe)\n    dx = grad_out @ W.T")
    assert run(app, source) == ALL_PASS
    assert app.inner_text("[data-testid=console]").startswith("größe ✓ 梯度 4\n")


def test_a_one_megabyte_source_runs_and_survives_a_reload(fresh, site_url):
    page = fresh(site_url)
    source = "# padding to a megabyte\n" * (2**20 // 24) + REFERENCE
    wait_ready(page)
    assert run(page, source) == ALL_PASS
    page.reload()
    assert page.evaluate("() => window.practiceApp.getCode()") == source


def test_the_page_refuses_inline_script(app, app_log):
    blocked = app.evaluate("""() => new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), {once: true});
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.head.append(script);
    })""")
    assert blocked == "script-src-elem"
    assert app.evaluate("() => window.injected === undefined")
    # The browser's own report, in its words: Chromium names the Content Security Policy,
    # Firefox "the page's settings"; both name the directive.
    assert any("script-src" in line for line in app_log.take_errors())


STORAGE_BROKEN = {
    "unavailable": "Object.defineProperty(window, 'localStorage', "
                   "{get() { throw new DOMException('denied', 'SecurityError'); }});",
    "full": "Storage.prototype.setItem = function () { "
            "throw new DOMException('full', 'QuotaExceededError'); };",
}


@pytest.mark.parametrize("case", list(STORAGE_BROKEN))
def test_broken_storage_still_edits_and_runs_and_says_code_is_not_saved(browser, engine, site_url,
                                                                        case):
    needs(engine, "init_script")
    context = browser.new_context(service_workers="block")
    context.add_init_script(STORAGE_BROKEN[case])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    try:
        page.goto(f"{site_url}linear-backward/")
        notice = page.locator("[data-testid=save-notice]")
        assert notice.inner_text() == ("This browser is not letting the page save your code: "
                                       "copy it somewhere before you leave.")
        wait_ready(page)
        assert run(page, REFERENCE) == ALL_PASS
        assert errors == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def damaged_site(site, tmp_path_factory):
    """A copy of the site, served without isolation, whose Pyodide files tests damage."""
    copy = tmp_path_factory.mktemp("damaged") / "dist"
    shutil.copytree(site, copy)
    server = make_server(copy, 0, host_headers=False)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield copy, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
# (the file, as a pattern in the site; what replaces it, or None to delete it; the message)
DAMAGE = {
    "numpy_wheel_missing": (f"static/python/numpy-*/{WHEEL}", None,
                            "Could not load NumPy: {name} is missing on the server (HTTP 404)."),
    "numpy_wheel_checksum": (f"static/python/numpy-*/{WHEEL}", b"PK not numpy",
                             "Could not load NumPy: {name} does not match the checksum in "
                             "pyodide-lock.json (a damaged or replaced file)."),
    "wasm_missing": (f"{PYODIDE_PATH}/pyodide.asm.wasm", None,
                     "Could not load Python: {name} is missing on the server (HTTP 404)."),
    "bytecode_missing": ("static/python/bytecode-*.zip", None,
                         "Could not load Python: {name} is missing on the server (HTTP 404)."),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_runtime_file_is_named_and_retry_recovers(browser, engine, damaged_site, case):
    folder, url = damaged_site
    pattern, damage, template = DAMAGE[case]
    (path,) = folder.glob(pattern)
    expected = template.format(name=path.name)
    original = path.read_bytes()

    def repair():
        # Dated later than the damage: written within the same second, the repaired file would
        # look unchanged to the browser's revalidation (Last-Modified counts whole seconds).
        path.write_bytes(original)
        later = time.time() + 2
        os.utime(path, (later, later))

    if damage is None:
        path.unlink()
    else:
        path.write_bytes(damage)
    context, page, log = open_problem(browser, url)
    try:
        status = page.locator("[data-testid=runtime-status][data-state=error]")
        status.wait_for(timeout=60_000)
        assert status.inner_text() == expected
        assert page.is_visible("[data-testid=retry-runtime]")
        repair()
        page.click("[data-testid=retry-runtime]")
        wait_ready(page)
        assert page.is_hidden("[data-testid=retry-runtime]")
        assert run(page, REFERENCE) == ALL_PASS
    finally:
        repair()
        context.close()
    # The browser reports the failed request itself, and Pyodide the package it could not load
    # (as "while loading numpy:" then the fetch's error); nothing else may go wrong.
    reports = ("Failed to load resource", "Failed to load numpy", "integrity",
               "while loading numpy", "Failed to fetch")
    if engine == "firefox":
        # Firefox also reports the worker's own uncaught errors: Pyodide, still loading the
        # NumPy it cannot have after the page has named the file, fails again on its way out.
        reports += ("emscripten_stack_get_current\"] is not a function",
                    "_emscripten_stack_get_current is not a function")
    unexpected = [line for line in log.take_errors()
                  if not any(report in line for report in reports)]
    assert unexpected == []


def test_network_gone_during_first_load_is_named_and_retry_recovers(browser, engine, site_url):
    needs(engine, "route")
    context = browser.new_context(service_workers="block")
    context.route("**/pyodide.asm.wasm", lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    try:
        page.goto(f"{site_url}linear-backward/")
        status = page.locator("[data-testid=runtime-status][data-state=error]")
        status.wait_for(timeout=60_000)
        assert status.inner_text() == ("Could not load Python: the server did not answer for "
                                       "pyodide.asm.wasm. Are you offline? Retry once connected.")
        context.unroute("**/pyodide.asm.wasm")
        page.click("[data-testid=retry-runtime]")
        wait_ready(page)
        assert run(page, REFERENCE) == ALL_PASS
    finally:
        context.close()
