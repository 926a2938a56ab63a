"""Shared fixtures: one built site, one server of each kind and one Chromium for all tests.

End-to-end tests drive Debian's Chromium through Playwright against the real build, with real
Pyodide and NumPy. A missing browser fails the tests; nothing is skipped. When a browser test
fails, tests/artifacts/<test>/ keeps a screenshot, the page's HTML and its console log.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
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


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("PRACTICE_ENGINE") == "webkit":  # until conftest runs every engine
        from webkit import launch

        webkit = launch()
        yield webkit
        webkit.close()
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


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
    try:
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        (folder / "page.html").write_text(page.content())
    except Exception as error:  # noqa: BLE001 - keep what can be kept from a broken page
        log.lines.append(f"could not capture the page: {error}")
    (folder / "console.log").write_text("\n".join(log.lines))


def open_problem(browser, url: str, *, service_workers: str = "block",
                 slug: str = "linear-backward", storage: dict | None = None):
    """Open a problem page (Linear backward unless `slug` says; the catalog for "") in a fresh
    browser context, with `storage` ({key: value}) in its localStorage from the start; return
    (context, page, log).

    Service workers are blocked unless asked for: their offline copy would outlive the files
    that tests damage or change on purpose (test_deploy_e2e.py tests them).
    """
    context = browser.new_context(service_workers=service_workers)
    if storage and hasattr(context, "seed_local_storage"):  # WebKit: no init scripts
        context.seed_local_storage(storage)
    elif storage:
        context.add_init_script(
            f"if (!sessionStorage.getItem('stored')) {{ sessionStorage.setItem('stored', 1); "
            f"for (const [k, v] of Object.entries({json.dumps(storage)})) "
            f"localStorage.setItem(k, JSON.stringify(v)); }}")
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
def fresh(request, browser):
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
