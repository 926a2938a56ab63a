"""Shared fixtures: one built site, one server of each kind, and one browser per engine.

End-to-end tests drive three engines against the real build, with real Pyodide and NumPy, each
test written once and run once per engine (`test_x[chromium]`, `[firefox]`, `[webkit]`):
Debian's Chromium and Firefox ESR through Playwright, and WebKitGTK's WebDriver through
tests/webkit.py, a Selenium adapter with Playwright's sync API (docs/browsers.md says why).
`--engine NAME` (repeatable) or PRACTICE_ENGINES=chromium,webkit picks engines; the default
is all three. The browser tests of one engine run together, so one browser is alive at a time.
A missing browser fails the tests; nothing is skipped, except where an engine lacks what a
test needs (`needs`), which names the feature. When a browser test fails,
tests/artifacts/<test>/ keeps a screenshot, the page's HTML and its console log.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitebuild.pipeline import build
from sitebuild.serve import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Debian's Firefox ESR speaks WebDriver BiDi, which Playwright drives as the "moz-firefox"
# channel (pyproject.toml pins the Playwright release that ESR's BiDi can follow).
FIREFOX = "/usr/bin/firefox-esr"
ENGINES = ("chromium", "firefox", "webkit")
# The engines a run without --engine or $PRACTICE_ENGINES uses, CI's among them: all three.
DEFAULT_ENGINES = ENGINES
# What an engine cannot do that some tests need, by feature: `needs` skips such a test there,
# with this reason. Anything else an engine lacks is a failure.
LACKS = {
    "chromium": {},
    "firefox": {
        "cdp": "Firefox has no Chrome DevTools Protocol (new_cdp_session)",
        # Its service worker's own fetches still reach the server: a page that the service
        # worker fetched from the network then loads its files itself, and cannot. A server
        # that is down (test_deploy_e2e.py) takes both offline, in every engine.
        "offline": "Firefox's emulated offline (set_offline over WebDriver BiDi) does not "
                   "reach the service worker",
        "service_worker_responses": "Playwright's Firefox (WebDriver BiDi) does not say which "
                                    "responses a service worker gave (from_service_worker)",
        "touch": "Firefox over WebDriver BiDi emulates no touch screen: has_touch is ignored "
                 "and tap() dispatches no event",
    },
    "webkit": {
        "cdp": "WebKit has no Chrome DevTools Protocol (new_cdp_session)",
        "service_worker_responses": "WebKit via WebDriver does not say which responses a "
                                    "service worker gave (from_service_worker)",
        "new_tab": "WebKitGTK's MiniBrowser, which WebDriver drives, opens a Ctrl+clicked link "
                   "in the same window, not a new tab (expect_page)",
        "touch": "WebKit via WebDriver emulates no touch screen (has_touch, tap)",
        "worker_console": "WebKit via WebDriver cannot read a worker's console",
    },
}
# Whether an engine gives a cross-origin-isolated page SharedArrayBuffer: the time limit then
# interrupts Python in place, else the page replaces the worker (docs/browsers.md). WebKitGTK
# leaves SharedArrayBuffer off by default, even on an isolated page.
SHARED_MEMORY = {"chromium": True, "firefox": True, "webkit": False}
STOPPED_IN_PLACE = "Time limit exceeded: your code was stopped."  # the harness's own message
STOPPED_BY_REPLACING = "Time limit exceeded (3 s): your code was stopped."
ARTIFACTS = Path(__file__).parent / "artifacts"
# Linear backward's six hidden tests, under the seed's names, in order.
TEST_NAMES = [
    "Returns three arrays with correct shapes",
    "dx matches grad_out @ W.T",
    "dW matches x.T @ grad_out",
    "db sums grad_out over the batch dimension",
    "dW matches finite-difference numerical gradient",
    "Larger batch shape: gradients still correct",
]
READY_TIMEOUT_MS = 90_000


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built once from problems/ into a temporary dist/."""
    out = tmp_path_factory.mktemp("site") / "dist"
    build(out)
    return out


def _serve(directory: Path, *, host_headers: bool):
    server = make_server(directory, 0, host_headers=host_headers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """The built site served with cross-origin isolation, as `python build.py serve` does."""
    server = _serve(site, host_headers=True)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def plain_site_url(site) -> str:
    """The built site served by a plain static server: no COOP/COEP, so no interrupt buffer."""
    server = _serve(site, host_headers=False)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def pytest_addoption(parser):
    parser.addoption("--engine", action="append", choices=ENGINES, dest="engines",
                     help="run browser tests in this engine (repeat for more; default: "
                          "$PRACTICE_ENGINES, comma-separated, else all three)")


def selected_engines(config) -> list[str]:
    """The engines asked for on the command line or in $PRACTICE_ENGINES, in ENGINES' order."""
    asked = config.getoption("engines") or [
        name.strip() for name in os.environ.get("PRACTICE_ENGINES", "").split(",") if name.strip()]
    unknown = sorted(set(asked) - set(ENGINES))
    if unknown:
        raise pytest.UsageError(f"unknown engine(s) {', '.join(unknown)}: "
                                f"choose from {', '.join(ENGINES)}")
    return [engine for engine in ENGINES if engine in (asked or DEFAULT_ENGINES)]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "engines(*names): run this browser test only in these engines (a test of "
                   "one engine's own switch or adapter)")


def pytest_generate_tests(metafunc):
    """Run each test that uses a browser once per engine (those its `engines` mark names, if
    it has one); other tests once."""
    if "engine" in metafunc.fixturenames:
        engines = selected_engines(metafunc.config)
        only = metafunc.definition.get_closest_marker("engines")
        if only is not None:
            engines = [name for name in engines if name in only.args]
        metafunc.parametrize("engine", engines, indirect=True, scope="session")


def engine_of(item) -> str | None:
    """The engine a collected test runs in; None for a test without a browser, or one whose
    `engines` mark names none of this run's (pytest skips it: an empty parameter set)."""
    callspec = getattr(item, "callspec", None)
    engine = callspec.params.get("engine") if callspec else None
    return engine if engine in ENGINES else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests without a browser first, then each engine's tests together, in file
    order: one browser is alive at a time, and a file's warm page is opened once per engine."""
    def engine_order(item):
        engine = engine_of(item)
        return -1 if engine is None else ENGINES.index(engine)

    items.sort(key=engine_order)  # stable: pytest's own order within each engine
    for item in items:
        if engine_of(item) == "webkit":
            # WebKitWebDriver now and then loses a session, on a quiet machine too ("session
            # deleted because of page crash or hang": its browser's connection closed). Such a
            # test runs once more, in a new session; any other failure, or a second loss, fails
            # it. A rerun is listed at the end of the run with its traceback and the lost
            # session's driver log (pyproject.toml's -rR --rerun-show-tracebacks).
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=["SessionLost"]))


@contextmanager
def launched(engine: str):
    """Start `engine`'s browser and yield it (a Playwright Browser, or for WebKit the adapter's
    Browser with the same API); close it after."""
    if engine == "webkit":
        from webkit import launch

        browser = launch()
        try:
            yield browser
        finally:
            browser.close()
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        if engine == "chromium":
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        else:
            browser = playwright.firefox.launch(channel="moz-firefox", executable_path=FIREFOX)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def engine(request) -> str:
    """The engine of this run of a browser test: chromium, firefox or webkit."""
    return request.param


@pytest.fixture(scope="session")
def browser(engine):
    """The engine's browser, shared by all of its tests."""
    with launched(engine) as started:
        yield started


def can(engine: str, feature: str) -> bool:
    """Whether `engine` has `feature` (a key of LACKS): for one check of a test that the rest
    of the test does not need."""
    return feature not in LACKS[engine]


def needs(engine: str, feature: str) -> None:
    """Skip the calling test where `engine` lacks `feature` (a key of LACKS), naming it."""
    reason = LACKS[engine].get(feature)
    if reason:
        pytest.skip(reason)


class PageLog:
    """Console messages and uncaught errors of one page; errors fail the test that saw them."""

    def __init__(self, page):
        self.page = page
        self.lines: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._error(f"pageerror: {error}"))

    def _console(self, message):
        self.lines.append(f"{message.type}: {message.text}")
        if message.type == "error":
            self._error(f"console error: {message.text}")

    def _error(self, text):
        self.lines.append(text)
        self.errors.append(text)

    def take_errors(self) -> list[str]:
        if hasattr(self.page, "take_page_errors"):  # WebKit: window.practiceErrors, to listeners
            self.page.take_page_errors()
        errors, self.errors = self.errors, []
        return errors


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.excinfo is not None and type(call.excinfo.value).__name__ == "Unsupported":
        # What WebDriver cannot do in WebKit (tests/webkit.py) skips the test, naming it.
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0,
                           f"Skipped: {call.excinfo.value.feature}")
    setattr(item, f"report_{report.when}", report)
    return report


def keep_artifacts(request, page, log: PageLog) -> None:
    """Save what a failed browser test saw."""
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    # Firefox's screenshots add a style element, which the page's CSP refuses and reports: an
    # error of the capture, kept in the log but not counted against the test.
    errors_before = len(log.errors)
    try:
        # caret="initial": hiding the caret would add a style element, which the page's CSP
        # refuses (and Firefox reports as the page's error).
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True, caret="initial")
        (folder / "page.html").write_text(page.content())
    except Exception as error:  # noqa: BLE001 - keep what can be kept from a broken page
        log.lines.append(f"could not capture the page: {error}")
    del log.errors[errors_before:]
    (folder / "console.log").write_text("\n".join(log.lines))


def open_problem(browser, url: str, *, service_workers: str = "block",
                 slug: str = "linear-backward", storage: dict | None = None):
    """Open a problem page (Linear backward unless `slug` says; the catalog for "") in a fresh
    browser context, with `storage` ({key: value}) in its localStorage from the start; return
    (context, page, log).

    Service workers are blocked unless asked for: their offline copy would outlive the files
    that tests damage or change on purpose (test_deploy_e2e.py tests them). Where the driver
    cannot run a script before the page's own (the WebKit adapter), it writes the storage
    itself, from an empty page of the site's origin.
    """
    context = browser.new_context(service_workers=service_workers)
    seed = (f"for (const [k, v] of Object.entries({json.dumps(storage)})) "
            f"localStorage.setItem(k, JSON.stringify(v));") if storage else ""
    if seed and hasattr(context, "seed_local_storage"):  # the WebKit adapter: no init scripts
        context.seed_local_storage(storage)
    elif seed:
        # Not in the blank page a new tab starts with, whose storage Firefox refuses
        # ("The operation is insecure").
        context.add_init_script(
            f"if (location.protocol.startsWith('http') && !sessionStorage.getItem('stored')) {{ "
            f"sessionStorage.setItem('stored', 1); {seed} }}")
    page = context.new_page()
    log = PageLog(page)
    page.goto(f"{url}{slug}/" if slug else url)
    return context, page, log


@pytest.fixture(scope="module")
def warm(browser, site_url):
    """One problem page whose Pyodide has started, shared by a module's tests."""
    context, page, log = open_problem(browser, site_url)
    wait_ready(page)
    yield page, log
    context.close()


@pytest.fixture
def app_log(warm) -> PageLog:
    """The shared warm page's log, for a test that expects errors to take them first."""
    return warm[1]


@pytest.fixture
def app(request, warm):
    """The shared warm page, with its errors checked and artifacts kept for this test."""
    page, log = warm
    log.take_errors()
    yield page
    keep_artifacts(request, page, log)
    assert log.take_errors() == []


@pytest.fixture
def fresh(request, browser, engine):
    """Open a fresh page (new profile) on a given server URL, with `open_problem`'s options;
    errors fail the test."""
    opened = []

    def open_page(url, **options):
        context, page, log = open_problem(browser, url, **options)
        opened.append((context, page, log))
        return page

    yield open_page
    for context, page, log in opened:
        keep_artifacts(request, page, log)
        errors = log.take_errors()
        context.close()
        assert errors == []


@pytest.fixture
def context_of(browser, request):
    """Open browser contexts whose pages fail the test on any page or console error; a failed
    test keeps the artifacts of each page it opened."""
    opened = []

    def open_context(**options):
        context = browser.new_context(**options)
        pages = []
        context.on("page", lambda page: pages.append((page, PageLog(page))))
        opened.append((context, pages))
        return context

    yield open_context
    errors = []
    for context, pages in opened:
        for page, log in pages:
            keep_artifacts(request, page, log)
            errors += log.take_errors()
        context.close()
    assert errors == []


def wait_ready(page) -> None:
    """Wait until the page's Python runtime reports ready; fail at once if it reports an error."""
    status = "[data-testid=runtime-status]"
    page.wait_for_selector(f"{status}[data-state=ready], {status}[data-state=error]",
                           timeout=READY_TIMEOUT_MS)
    assert page.get_attribute(status, "data-state") == "ready", page.inner_text(status)
