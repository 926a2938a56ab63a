"""WebKitGTK for the end-to-end tests, driven through WebDriver behind Playwright's sync API.

Playwright's own WebKit is not Debian's, and learners run WebKitGTK (and Safari) as it ships:
this adapter drives Debian's WebKitGTK 2.50 through `/usr/bin/WebKitWebDriver` (Selenium) under a
private Xvfb, and offers the part of Playwright's sync API that tests/ uses, so each test is
written once for every engine. `launch()` returns a Browser; each of its contexts is a WebDriver
session of its own (WebDriver has no contexts; a session's profile is ephemeral, so contexts do
not share storage), with its own small HTTP proxy through which `route`, `set_offline` and
request events work. WebKit's default no-proxy list would let local hosts bypass it; each
session replaces that list, and pages are opened as `practice.localhost:<port>` (a secure
context, like 127.0.0.1), which the proxy forwards to 127.0.0.1; URLs read back are translated
again, so tests see the URLs they asked for.

What WebDriver cannot do raises `Unsupported(feature)`, which conftest turns into a skip naming
the feature: touch, a viewport narrower than MiniBrowser's window can be, permissions, several
pages in one context, a new tab. Console messages cannot be read either: the page
records its errors in `window.practiceErrors` (static/js/errors.js), which `take_page_errors()`
reads.

Robustness: WebKitWebDriver sometimes answers "Could not parse script result", and can then lose
the session; scripts here return JSON text (never objects for it to parse) and are retried once.
A lost session (its browser gone, or the driver saying so) fails the call that saw it with
`SessionLost`, naming the cause, with the end of the session's driver log; the page starts a new
session at its last URL, so the tests after it go on, and conftest runs the test once more.
Screenshots, which can hang, run under a timeout.
"""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import TimeoutError  # noqa: A004 - the tests catch Playwright's type

DRIVER = "/usr/bin/WebKitWebDriver"
XVFB = "/usr/bin/Xvfb"
HOST = "practice.localhost"  # a secure context that WebKit sends through the proxy
DEFAULT_TIMEOUT_MS = 30_000
SCREENSHOT_TIMEOUT_S = 20
SESSION_START_S = 30  # a new session that takes longer is killed and started again
SESSION_ATTEMPTS = 3
BLANK = "/__webkit_blank__"  # served by the proxy itself (Context.seed_local_storage)
# Headers a proxy must not pass on (RFC 9110, 7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "transfer-encoding", "upgrade", "proxy-connection"}


class Unsupported(Exception):
    """A Playwright feature that WebDriver cannot give for WebKit; conftest skips the test."""

    def __init__(self, feature: str):
        super().__init__(f"WebKit through WebDriver cannot do this: {feature}")
        self.feature = feature


# What MiniBrowser logs when the web process of its page dies.
WEB_PROCESS_CRASHED = "WebProcess CRASHED"


class SessionLost(AssertionError):
    """WebKitWebDriver lost the session: the call fails, and the page is reopened in a new one
    (conftest runs a WebKit test that saw this once more)."""


def launch(*, shared_array_buffer: bool = False) -> Browser:
    """Start a private Xvfb and return a Browser whose contexts are WebKitGTK sessions.

    WebKitGTK ships without SharedArrayBuffer even on cross-origin isolated pages; learners run
    it so, and so does this by default. `shared_array_buffer=True` turns it on
    (JSC_useSharedArrayBuffer=1 in the driver's environment, which its browser inherits).
    """
    return Browser(shared_array_buffer=shared_array_buffer)


# ---------------------------------------------------------------------------------------------
# The display


class Display:
    """An Xvfb of our own on a free display number, for the driver's environment only."""

    def __init__(self):
        for number in range(90, 200):
            if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
                continue
            process = subprocess.Popen(
                [XVFB, f":{number}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and process.poll() is None:
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    self.process, self.name = process, f":{number}"
                    return
                time.sleep(0.05)
            process.kill()
            process.wait()
        raise RuntimeError("no free X display number for Xvfb")

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# The proxy: routes, offline, request events


def _glob_regex(pattern: str) -> re.Pattern:
    """Playwright's URL glob: `**` any characters, `*` any but `/`, `?` one character."""
    out = ""
    index = 0
    while index < len(pattern):
        if pattern.startswith("**", index):
            out += ".*"
            index += 2
            continue
        char = pattern[index]
        out += {"*": "[^/]*", "?": "."}.get(char, re.escape(char))
        index += 1
    return re.compile(f"^{out}$")


# Playwright's resource types by the request's Sec-Fetch-Dest; "empty" is a script's own
# request (fetch or XMLHttpRequest, which it does not tell apart: both are "fetch" here).
RESOURCE_TYPES = {"document": "document", "empty": "fetch", "script": "script",
                  "style": "stylesheet", "image": "image", "font": "font", "worker": "other",
                  "serviceworker": "other", "manifest": "manifest", "audio": "media",
                  "video": "media", "track": "texttrack"}


class Request:
    def __init__(self, url: str, method: str, headers: dict):
        self.url, self.method, self.headers = url, method, headers

    @property
    def resource_type(self) -> str:
        return RESOURCE_TYPES.get(self.headers.get("sec-fetch-dest", ""), "other")

    def __repr__(self):
        return f"<Request {self.method} {self.url}>"


class Document:
    """A document's response as the proxy passed it on: what Page.goto returns headers from."""

    def __init__(self, url: str, status: int, headers: list):
        self.url, self.status = url, status
        self.headers = {name.lower(): value for name, value in headers}


class Worker:
    """A Web Worker a page started, seen as its script's request (Page.on("worker"))."""

    def __init__(self, url: str):
        self.url = url

    def __repr__(self):
        return f"<Worker {self.url}>"


class FetchedResponse:
    """Route.fetch's answer (Playwright's APIResponse, as far as tests use it)."""

    def __init__(self, status: int, headers: list, payload: bytes):
        self.status = status
        self.headers = {name.lower(): value for name, value in headers}
        self._payload = payload

    def body(self) -> bytes:
        return self._payload

    def text(self) -> str:
        return self._payload.decode()


class Route:
    """One intercepted request, held until the handler aborts, fulfils or continues it."""

    def __init__(self, request: Request):
        self.request = request
        self.decision = None
        self._decided = threading.Event()

    def _decide(self, decision):
        if not self._decided.is_set():
            self.decision = decision
            self._decided.set()

    def abort(self, error_code: str = "failed"):
        self._decide(("abort", error_code))

    def continue_(self, **overrides):
        self._decide(("continue", overrides))

    def fallback(self, **overrides):
        self._decide(("continue", overrides))

    def fetch(self) -> FetchedResponse:
        """The request's response from the server, for a handler to change and fulfil with."""
        parts = urlsplit(self.request.url)
        headers = {k: v for k, v in self.request.headers.items() if k not in HOP_BY_HOP}
        connection = http.client.HTTPConnection("127.0.0.1", parts.port or 80, timeout=120)
        try:
            connection.request(self.request.method,
                               urlunsplit(("", "", parts.path or "/", parts.query, "")),
                               headers={**headers, "host": f"127.0.0.1:{parts.port or 80}",
                                        "accept-encoding": "identity"})
            response = connection.getresponse()
            return FetchedResponse(response.status, response.getheaders(), response.read())
        finally:
            connection.close()

    def fulfill(self, *, status: int | None = None, body: str | bytes | None = None,
                headers: dict | None = None, content_type: str | None = None,
                path: str | None = None, json=None, response=None):  # noqa: A002
        if response is not None:  # a fetched response, with what the handler changed
            status = response.status if status is None else status
            headers = {**{k: v for k, v in response.headers.items()
                          if k not in HOP_BY_HOP and k != "content-length"}, **(headers or {})}
            body = response.body() if body is None else body
        status = 200 if status is None else status
        body = b"" if body is None else body
        if path is not None:
            body = Path(path).read_bytes()
        if json is not None:
            body, content_type = __import__("json").dumps(json), content_type or "application/json"
        if isinstance(body, str):
            body = body.encode()
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        self._decide(("fulfill", (status, body, headers)))


class Proxy:
    """A threaded HTTP proxy for one context: forwards practice.localhost:<port> to 127.0.0.1."""

    def __init__(self):
        self.routes: list[tuple[str, re.Pattern, object]] = []
        self.offline = False
        self.held: list[Route] = []  # requests a route's handler holds, not yet decided
        self.listeners: dict[str, list] = {"request": [], "requestfinished": [], "requestfailed": [],
                                           "document": [], "worker": []}
        self.init_scripts: list[str] = []  # Context.add_init_script
        self.block_service_workers = False  # new_context(service_workers="block")
        self.documents: list[Document] = []  # each document response, for Page.goto's Response
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (ConnectionError, TimeoutError, socket.timeout, OSError):
                    self.close_connection = True

            def do_any(self):
                proxy.handle(self)

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.offline = True
        for route in list(self.held):  # a test that never let a request go
            route.abort()
        self.server.shutdown()
        self.server.server_close()

    def emit(self, event: str, request: Request):
        for listener in list(self.listeners.get(event, [])):
            try:
                listener(request)
            except Exception:  # noqa: BLE001 - a test's listener must not break the proxy
                pass

    def handle(self, handler: http.server.BaseHTTPRequestHandler):
        url = handler.path
        parts = urlsplit(url)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        request = Request(to_test_url(url), handler.command,
                          {k.lower(): v for k, v in handler.headers.items()})
        self.emit("request", request)
        # Fetch metadata says what asked: a new document of a page, or a new worker's script.
        destination = request.headers.get("sec-fetch-dest")
        if destination in ("document", "worker"):
            self.emit(destination, request)
        if destination == "serviceworker" and self.block_service_workers:
            self._answer(handler, request, 404, "Blocked", [("Content-Type", "text/plain")], b"")
            return
        if self.offline or parts.hostname not in (HOST, "127.0.0.1", "localhost"):
            self._fail(handler, request)
            return
        if parts.path == BLANK:  # an empty page of the origin, to seed its storage
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        for pattern, regex, callback in reversed(self.routes):
            if regex.match(request.url) or regex.match(url):
                route = Route(request)
                try:
                    callback(route)
                except Exception:  # noqa: BLE001 - an error in a handler continues the request
                    route.continue_()
                self.held.append(route)
                try:
                    route._decided.wait(timeout=300)
                finally:
                    self.held.remove(route)
                kind, detail = route.decision or ("continue", {})
                if kind == "abort":
                    self._fail(handler, request)
                    return
                if kind == "fulfill":
                    status, payload, headers = detail
                    self._answer(handler, request, status, None, headers.items(), payload)
                    return
                break
        self._forward(handler, parts, body, request)

    def _fail(self, handler, request):
        # No answer at all: the browser sees a network error, as when offline.
        handler.close_connection = True
        self.emit("requestfailed", request)

    def _forward(self, handler, parts, body, request):
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = f"127.0.0.1:{parts.port or 80}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", parts.port or 80, timeout=120)
            connection.request(handler.command, path, body=body, headers=headers)
            response = connection.getresponse()
            headers = [(name, value) for name, value in response.getheaders()
                       if name.lower() not in HOP_BY_HOP and name.lower() != "content-length"]
            if response.getheader("Content-Type", "").startswith("text/event-stream"):
                self._stream(handler, request, response, headers)
                return
            payload = response.read()
            connection.close()
        except OSError:
            self._fail(handler, request)
            return
        destination = request.headers.get("sec-fetch-dest")
        if destination == "document":
            payload, headers = self._with_init_scripts(payload, headers)
            self.documents.append(Document(request.url, response.status, headers))
        elif destination == "worker":
            # Every new worker fetches its script through here, never from the HTTP cache, so
            # that each one is seen (Page.on("worker")).
            headers = [(name, value) for name, value in headers
                       if name.lower() != "cache-control"] + [("Cache-Control", "no-store")]
        self._answer(handler, request, response.status, response.reason, headers, payload)

    def _with_init_scripts(self, payload: bytes, headers: list) -> tuple[bytes, list]:
        """An HTML page with the context's init scripts in one inline script at the top of its
        head: after <meta charset> (which must come within its first 1024 bytes) and before
        any script of the page or its CSP's <meta>, which governs only what follows it."""
        kind = next((value for name, value in headers if name.lower() == "content-type"), "")
        if not self.init_scripts or not kind.startswith("text/html"):
            return payload, headers
        encoding = next((value for name, value in headers
                         if name.lower() == "content-encoding"), "identity")
        if encoding == "gzip":
            payload = gzip.decompress(payload)
            headers = [(name, value) for name, value in headers
                       if name.lower() != "content-encoding"]
        elif encoding != "identity":
            raise RuntimeError(f"init scripts cannot go into a page sent as {encoding}")
        html = payload.decode()
        code = "\n;".join(self.init_scripts).replace("</", "<\\/")
        tag = f"<script>{code}</script>"
        anchor = (re.search(r"<meta\s+charset[^>]*>", html, re.I)
                  or re.search(r"<head[^>]*>", html, re.I))
        at = anchor.end() if anchor else 0
        return (html[:at] + tag + html[at:]).encode(), headers

    def _stream(self, handler, request, response, headers):
        """Pass an event stream on as it comes (the development server's live reload), until
        either side closes it (or two idle minutes: EventSource then connects again)."""
        handler.close_connection = True
        handler.send_response(response.status, response.reason)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        self.emit("requestfinished", request)
        try:
            while chunk := response.read1(65536):
                handler.wfile.write(chunk)
                handler.wfile.flush()
        except OSError:
            pass
        finally:
            response.close()

    def _answer(self, handler, request, status, reason, headers, payload):
        handler.send_response(status, reason)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)
        self.emit("requestfinished", request)


def to_browser_url(url: str) -> str:
    """127.0.0.1:<port> (or localhost) as the browser must load it, through the proxy."""
    parts = urlsplit(url)
    if parts.hostname in ("127.0.0.1", "localhost") and parts.port:
        return urlunsplit(parts._replace(netloc=f"{HOST}:{parts.port}"))
    return url


def to_test_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.hostname == HOST:
        return urlunsplit(parts._replace(netloc=f"127.0.0.1:{parts.port}"))
    return url


def _translate(value):
    """URLs in a script's result, as the test knows them."""
    if isinstance(value, str):
        return value.replace(f"//{HOST}:", "//127.0.0.1:")
    if isinstance(value, list):
        return [_translate(item) for item in value]
    if isinstance(value, dict):
        return {key: _translate(item) for key, item in value.items()}
    return value


# ---------------------------------------------------------------------------------------------
# Browser and contexts


class BrowserType:
    name = "webkit"


class Browser:
    browser_type = BrowserType()

    def __init__(self, *, shared_array_buffer: bool):
        if not Path(DRIVER).exists():
            raise RuntimeError(f"{DRIVER} is missing: apt-get install webkit2gtk-driver")
        self.shared_array_buffer = shared_array_buffer
        self.display = Display()
        self.contexts: list[Context] = []
        self.version = None
        # Each session's driver log (with its browser's output), read when a session is lost.
        self.logs = Path(tempfile.mkdtemp(prefix="webkit-driver-"))
        self.sessions = 0

    def new_context(self, **options) -> Context:
        context = Context(self, options)
        self.contexts.append(context)
        return context

    def new_page(self, **options) -> Page:
        return self.new_context(**options).new_page()

    def environment(self) -> dict:
        env = dict(os.environ, DISPLAY=self.display.name)
        env.pop("WAYLAND_DISPLAY", None)
        if self.shared_array_buffer:
            env["JSC_useSharedArrayBuffer"] = "1"
        # Xvfb has no GPU, so WebKitGTK composites with Mesa's software GL, and its compositor
        # thread crashed in swrast_dri.so now and then, taking the page's web process with it
        # ("WebProcess CRASHED" in the driver log). Painting without compositing has no GL.
        env["WEBKIT_DISABLE_COMPOSITING_MODE"] = "1"
        return env

    def log_path(self) -> str:
        self.sessions += 1
        return str(self.logs / f"session-{self.sessions}.log")

    def close(self):
        for context in list(self.contexts):
            context.close()
        self.display.close()
        shutil.rmtree(self.logs, ignore_errors=True)


class Context:
    """A WebDriver session of its own (created with its first page) and a proxy."""

    def __init__(self, browser: Browser, options: dict):
        self.browser = browser
        self.options = options
        self.pages: list[Page] = []
        self.page_listeners: list = []
        self.proxy = Proxy()
        # A service worker's script is refused, so none registers (Playwright's "block").
        self.proxy.block_service_workers = options.get("service_workers") == "block"
        self.default_timeout = DEFAULT_TIMEOUT_MS
        self.storage_seed = None
        # The session of a closed page, kept for the context's next page: its profile (HTTP
        # cache, storage) is the context's, as a Playwright context's pages share theirs.
        self.spare = None
        self.closing = False
        self._check_options(options)

    @staticmethod
    def _check_options(options):
        # A phone (has_touch, is_mobile, device_scale_factor) is its viewport alone here:
        # WebDriver emulates no touch screen or pixel ratio, as Firefox's BiDi ignores has_touch
        # (Page.tap, LACKS["webkit"]["touch"]). A viewport narrower than MiniBrowser's window
        # can be is refused by name (Page._size_viewport).
        if options.get("permissions"):
            raise Unsupported("new_context(permissions=...): WebDriver cannot grant permissions")

    def new_page(self) -> Page:
        if any(not page.closed for page in self.pages):
            raise Unsupported("a second page in one context (one WebDriver session, one window)")
        page = Page(self)
        self.pages.append(page)
        for listener in list(self.page_listeners):
            listener(page)
        return page

    def on(self, event: str, callback):
        if event == "page":
            self.page_listeners.append(callback)
        elif event in self.proxy.listeners:
            self.proxy.listeners[event].append(callback)
        else:
            raise Unsupported(f"context.on({event!r})")

    def remove_listener(self, event: str, callback):
        for listeners in (self.page_listeners, *self.proxy.listeners.values()):
            if callback in listeners:
                listeners.remove(callback)

    def route(self, url, handler):
        if not isinstance(url, str):
            raise Unsupported("route() with a regular expression or predicate")
        self.proxy.routes.append((url, _glob_regex(url), handler))

    def unroute(self, url, handler=None):
        self.proxy.routes = [r for r in self.proxy.routes
                             if not (r[0] == url and (handler is None or r[2] is handler))]

    def set_offline(self, offline: bool):
        self.proxy.offline = bool(offline)

    def seed_local_storage(self, storage: dict):
        """Put `storage` ({key: value}, stored as JSON) in localStorage of the origin of this
        context's first page before that page's scripts run: what an init script does in
        Playwright for a first visit (conftest's open_problem), done on an empty page of the
        same origin, which the proxy serves."""
        self.storage_seed = dict(storage)

    def add_init_script(self, script=None, path=None):
        """Run `script` first in every document the context loads from now on: the proxy puts
        it at the top of each page's HTML (Proxy._with_init_scripts)."""
        self.proxy.init_scripts.append(Path(path).read_text() if path else script)

    def grant_permissions(self, permissions, origin=None):
        raise Unsupported(f"grant_permissions({permissions}): WebDriver cannot grant permissions")

    def set_default_timeout(self, timeout):
        self.default_timeout = timeout

    def close(self):
        self.closing = True
        for page in self.pages:
            page.close()
        self.pages = []
        if self.spare is not None:
            _quit_quietly(self.spare[0])
            self.spare = None
        self.proxy.close()
        if self in self.browser.contexts:
            self.browser.contexts.remove(self)


# ---------------------------------------------------------------------------------------------
# Pages


# Resolve a selector chain (Playwright's CSS, `text=` and `:visible`) to elements; `nth` picks
# one. Shared by every script that looks up elements.
RESOLVE = r"""
const __visible = (el) => {
  if (!el || !el.isConnected) return false;
  // Inside a closed <details> WebKit keeps a box (content-visibility: hidden), not shown.
  if (el.checkVisibility && !el.checkVisibility()) return false;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden') return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const __norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
const __one = (roots, selector) => {
  let visibleOnly = false;
  let css = selector;
  if (/:visible\b/.test(css)) { visibleOnly = true; css = css.replace(/:visible\b/g, ''); }
  let found = [];
  if (css.startsWith('text=')) {
    let text = css.slice(5), exact = false;
    if (/^".*"$|^'.*'$/.test(text)) { text = text.slice(1, -1); exact = true; }
    const want = exact ? __norm(text) : __norm(text).toLowerCase();
    const matches = (el) => {
      const got = __norm(el.innerText ?? el.textContent);
      return exact ? got === want : got.toLowerCase().includes(want);
    };
    for (const root of roots) {
      for (const el of root.querySelectorAll('*')) {
        if (['SCRIPT', 'STYLE', 'HEAD', 'TITLE'].includes(el.tagName)) continue;
        if (matches(el) && ![...el.children].some(matches)) found.push(el);
      }
    }
  } else if (css.startsWith('role=')) {
    // role=button[name="..."]: Playwright's get_by_role, for buttons and links by name
    const [, role, name] = css.match(/^role=(\w+)(?:\[name="(.*)"\])?$/);
    const tags = { button: 'button, [role=button], input[type=button], input[type=submit]',
                   link: 'a[href], [role=link]' }[role] || `[role=${role}]`;
    for (const root of roots) {
      for (const el of root.querySelectorAll(tags)) {
        const label = __norm(el.getAttribute('aria-label') || el.innerText || el.value).toLowerCase();
        if (name === undefined || label.includes(__norm(name).toLowerCase())) found.push(el);
      }
    }
  } else {
    for (const root of roots) found.push(...root.querySelectorAll(css));
  }
  found = [...new Set(found)];
  return visibleOnly ? found.filter(__visible) : found;
};
const __resolve = (chain) => {
  let roots = [document];
  for (const [selector, nth, hasText] of chain) {
    let found = __one(roots, selector);
    if (hasText) found = found.filter((el) => __norm(el.innerText ?? el.textContent).toLowerCase()
                                          .includes(__norm(hasText).toLowerCase()));
    if (nth !== null) found = nth < 0 ? found.slice(nth).slice(0, 1) : found.slice(nth, nth + 1);
    roots = found;
  }
  return roots;
};
"""

KEYS = None


def _keys():
    global KEYS
    if KEYS is None:
        from selenium.webdriver.common.keys import Keys
        KEYS = {
            "Control": Keys.CONTROL, "Shift": Keys.SHIFT, "Alt": Keys.ALT, "Meta": Keys.META,
            "ControlOrMeta": Keys.CONTROL, "Enter": Keys.ENTER, "Escape": Keys.ESCAPE,
            "Tab": Keys.TAB, "Backspace": Keys.BACKSPACE, "Delete": Keys.DELETE,
            "ArrowLeft": Keys.ARROW_LEFT, "ArrowRight": Keys.ARROW_RIGHT, "ArrowUp": Keys.ARROW_UP,
            "ArrowDown": Keys.ARROW_DOWN, "Home": Keys.HOME, "End": Keys.END,
            "PageUp": Keys.PAGE_UP, "PageDown": Keys.PAGE_DOWN, "Space": " ", " ": " ",
        }
    return KEYS


def _with_modifiers(driver, modifiers, act):
    """ActionChains that hold `modifiers` (Playwright's names: Control, Shift...) down around
    `act(actions)`, releasing them in reverse order; perform them with `.perform`."""
    from selenium.webdriver.common.action_chains import ActionChains
    actions = ActionChains(driver)
    for modifier in modifiers:
        actions.key_down(_keys()[modifier])
    act(actions)
    for modifier in reversed(modifiers):
        actions.key_up(_keys()[modifier])
    return actions


def _is_function(source: str) -> bool:
    text = source.strip()
    return bool(re.match(r"^(async\s+)?(function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)", text))


def _jsonable(arg):
    """The argument as WebDriver passes it: element handles become its element references."""
    if isinstance(arg, ElementHandle):
        return arg.element
    if isinstance(arg, (list, tuple)):
        return [_jsonable(item) for item in arg]
    if isinstance(arg, dict):
        return {key: _jsonable(item) for key, item in arg.items()}
    return arg


class Page:
    def __init__(self, context: Context):
        self.context = context
        self.listeners: dict[str, list] = {}
        self.driver = None
        self.last_url = None
        self.closed = False
        self.keyboard = Keyboard(self)
        self.mouse = Mouse(self)
        self.viewport_size = dict(context.options.get("viewport") or {"width": 1280, "height": 720})
        # WebDriver's page load strategy: "normal" waits for a navigation's load event before
        # the next command; goto(wait_until="commit" or "domcontentloaded") needs "none".
        self.load_strategy = "normal"
        self._workers: list[Worker] = []  # started since this page's document loaded
        context.proxy.listeners["document"].append(self._new_document)
        context.proxy.listeners["worker"].append(self._new_worker)
        self._start()

    # -- the session -------------------------------------------------------------------------

    def _start(self):
        from selenium.webdriver.webkitgtk.options import Options

        if self.context.spare is not None and self.context.spare[1] == self.load_strategy:
            self.driver, _ = self.context.spare
            self.context.spare = None
            return

        options = Options()
        options.set_capability("proxy", {
            "proxyType": "manual", "httpProxy": f"127.0.0.1:{self.context.proxy.port}",
            "noProxy": ["none.invalid"],  # WebKit's default list would bypass *.localhost
        })
        options.set_capability("acceptInsecureCerts", True)
        options.page_load_strategy = self.load_strategy
        failures = []
        for _ in range(SESSION_ATTEMPTS):
            try:
                self.driver = _new_session(options, self.context.browser.environment(),
                                           self.context.browser.log_path())
                break
            except Exception as error:  # noqa: BLE001 - the driver's start is flaky
                failures.append(str(error).strip().splitlines()[0] if str(error).strip() else repr(error))
                time.sleep(1)
        else:
            raise RuntimeError("WebKitWebDriver would not start a session: " + "; ".join(failures))
        self.context.browser.version = self.driver.capabilities.get("browserVersion")
        self.driver.set_script_timeout(120)
        self.driver.set_page_load_timeout(120)
        try:
            self._size_viewport(self.viewport_size)
        except Unsupported:
            driver, self.driver = self.driver, None
            _quit_quietly(driver)
            raise

    def _restart(self, reason: str):
        """The session is gone: start a new one at the last URL, for the tests after this."""
        driver, self.driver = self.driver, None
        log = _log_tail(driver)
        threading.Thread(target=_quit_quietly, args=(driver,), daemon=True).start()
        try:
            self._start()
            if self.last_url:
                self.driver.get(to_browser_url(self.last_url))
        except Exception:  # noqa: BLE001 - the next call fails with its own message
            pass
        raise SessionLost(f"WebKitWebDriver lost its session ({reason}); the page was reopened "
                          f"in a new session at {self.last_url}"
                          + (f"\nThe lost session's driver log ends:\n{log}" if log else ""))

    def _call(self, what: str, fn, *args, retry=True):
        """Run one driver call; retry a script once on "Could not parse script result", and
        start a new session when this one is lost."""
        from selenium.common.exceptions import (InvalidSessionIdException,
                                                UnexpectedAlertPresentException,
                                                WebDriverException)
        if self.driver is None:
            self._restart("no session")
        for attempt in range(3):
            try:
                return fn(*args)
            except UnexpectedAlertPresentException:
                self._dialog()
            except InvalidSessionIdException as error:
                self._restart(f"{what}: {error.msg}")
            except WebDriverException as error:
                text = str(error.msg or error).strip()
                if "invalid session id" in text or "Failed to establish" in text \
                        or "Connection refused" in text:
                    self._restart(f"{what}: {text}")
                if type(error) is WebDriverException:
                    # A generic error ("unknown error" with no message, "Could not parse script
                    # result") is what a call in flight gets when its browser dies, or its
                    # page's web process (the page it reloads has lost the test's state);
                    # "invalid session id" and "session deleted" come only from the next call.
                    # Errors with a class of their own (no such element...) come from a
                    # living page.
                    said = (error.msg or "").strip() or "unknown error, no message"
                    if not browser_processes(self.driver):
                        self._restart(f"{what}: its browser is gone; the driver said {said}")
                    if _logged(self.driver, WEB_PROCESS_CRASHED):
                        self._restart(f"{what}: its page's web process crashed; "
                                      f"the driver said {said}")
                if "Could not parse script result" in text and retry and attempt == 0:
                    continue
                raise
        return fn(*args)

    def _dialog(self):
        alert = self.driver.switch_to.alert
        dialog = Dialog(alert)
        handlers = self.listeners.get("dialog", [])
        for handler in handlers:
            handler(dialog)
        if not dialog.handled:
            alert.dismiss()

    # -- scripts -----------------------------------------------------------------------------

    def _script(self, body: str, *args, what="script"):
        """Run `body` (a function body using __resolve; its `args`), asynchronously, with its
        value coming back as JSON text; errors raise."""
        script = (
            "const __done = arguments[arguments.length - 1];\n"
            "const __args = Array.prototype.slice.call(arguments, 0, -1);\n"
            + RESOLVE +
            "(async () => {\n" + body + "\n})().then(\n"
            "  (v) => { try { __done(JSON.stringify({ok: v === undefined ? null : v})); }\n"
            "           catch (e) { __done(JSON.stringify({ok: String(v)})); } },\n"
            "  (e) => __done(JSON.stringify({error: String(e) + (e && e.stack ? '\\n' + e.stack : '')})));"
        )
        text = self._call(what, self.driver.execute_async_script, script, *args)
        result = json.loads(text) if isinstance(text, str) else {"ok": text}
        if "error" in result:
            raise Error(f"{what}: {result['error']}")
        return _translate(result["ok"])

    def _elements(self, chain):
        script = RESOLVE + "return __resolve(arguments[0]);"
        return self._call("find", self.driver.execute_script, script, chain) or []

    def evaluate(self, expression: str, arg=None):
        if _is_function(expression):
            body = f"const __f = ({expression});\nreturn await __f(__args[0]);"
        else:
            # An expression, or else a script of statements (axe-core's source, say).
            from selenium.common.exceptions import JavascriptException
            try:
                return self._script(f"return await ({expression}\n);", _jsonable(arg),
                                    what="evaluate")
            except JavascriptException:
                body = f"{expression}\n;return null;"
        return self._script(body, _jsonable(arg), what="evaluate")

    def evaluate_handle(self, expression, arg=None):
        raise Unsupported("evaluate_handle: JavaScript handles")

    def eval_on_selector(self, selector, expression, arg=None):
        return self.locator(selector).evaluate(expression, arg)

    def eval_on_selector_all(self, selector, expression, arg=None):
        return self.locator(selector).evaluate_all(expression, arg)

    def _chain_eval(self, chain, expression, arg, *, all_=False, timeout=None):
        if not all_:
            self._wait_attached(chain, timeout)
        pick = "__resolve(__args[1])" if all_ else "__resolve(__args[1])[0]"
        body = f"const __f = ({expression});\nreturn await __f({pick}, __args[0]);"
        return self._script(body, _jsonable(arg), chain, what="evaluate")

    # -- navigation --------------------------------------------------------------------------

    def goto(self, url: str, *, timeout=None, wait_until=None, **_):
        self.take_page_errors()
        self.last_url = url
        early = wait_until in ("commit", "domcontentloaded")
        if early and self.load_strategy != "none":
            # Commands that do not wait for the load event need a session started so (its
            # profile is new: before any storage is seeded below).
            self.load_strategy = "none"
            driver, self.driver = self.driver, None
            _quit_quietly(driver)
            self._start()
        if self.context.storage_seed is not None:
            seed, self.context.storage_seed = self.context.storage_seed, None
            parts = urlsplit(to_browser_url(url))
            blank = urlunsplit((parts.scheme, parts.netloc, BLANK, "", ""))
            self._navigate(lambda: self._call("goto", self.driver.get, blank), "load")
            self._script("for (const [k, v] of Object.entries(__args[0])) "
                         "localStorage.setItem(k, JSON.stringify(v));", seed, what="seed storage")
        if early:
            self._navigate(lambda: self._call("goto", self.driver.get, to_browser_url(url)),
                           wait_until)
            return Response(self, url)
        from selenium.common.exceptions import TimeoutException
        held = bool(self.context.proxy.routes)
        # A test that holds a request back may hold the load event with it: WebDriver then
        # cannot act until the page has loaded, which Playwright can.
        self.driver.set_page_load_timeout(20 if held else 120)
        try:
            self._navigate(lambda: self._call("goto", self.driver.get, to_browser_url(url)), "load")
        except TimeoutException:
            if self.context.proxy.held:
                raise Unsupported("acting on a page whose load event waits for a held request")
            raise
        finally:
            self.driver.set_page_load_timeout(120)
        return Response(self, url)

    def _navigate(self, start, until: str):
        """Run `start`, a driver call that loads a new document, and wait until that document
        has begun ("commit"), been parsed ("domcontentloaded") or loaded ("load"). In a session
        with load strategy "none" the call returns at once, and the old document is told from
        the new one by a mark the new one does not have."""
        if self.load_strategy != "none":
            start()
            self._loaded()
            return
        try:
            self._script("window.__webkitDocument = true;", what="navigation")
        except Error:
            pass
        start()
        state = {"commit": "true", "domcontentloaded": "document.readyState !== 'loading'",
                 "load": "document.readyState === 'complete'"}[until]
        self._poll(lambda: self._script(f"return window.__webkitDocument !== true && {state};",
                                        what="navigation"), None, f"the navigation ({until})")

    def reload(self, **_):
        self.take_page_errors()
        self._navigate(lambda: self._call("reload", self.driver.refresh), "load")
        return Response(self, self.url)

    def _after_link_click(self):
        """Playwright's click waits for the navigation it starts: wait (a few seconds at
        most) for a new document, then for its load event."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                where = self._script(
                    "return window.__webkitDocument !== true ? 'new document'"
                    " : location.href !== window.__webkitHref ? 'moved in place' : 'here';",
                    what="navigation")
            except Error:
                break
            if where == "new document":
                break
            if where == "moved in place":  # the page's script took the link (navigate.js)
                return
            time.sleep(0.05)
        else:
            return  # a link handled in the page (a fragment, a script): no new document
        self._loaded()

    def _loaded(self):
        # WebKitWebDriver can answer a refresh or history step before the new document has
        # loaded; Playwright waits for its load event.
        time.sleep(0.05)
        self._poll(lambda: self._script("return document.readyState === 'complete';",
                                        what="readyState"), None, "the load event")

    def go_back(self, **_):
        self.take_page_errors()
        self._call("go_back", self.driver.back)
        self._loaded()

    def go_forward(self, **_):
        self.take_page_errors()
        self._call("go_forward", self.driver.forward)
        self._loaded()

    @property
    def url(self) -> str:
        return to_test_url(self._call("url", lambda: self.driver.current_url))

    def title(self) -> str:
        return self._call("title", lambda: self.driver.title)

    def content(self) -> str:
        return self._call("content", lambda: self.driver.page_source)

    def bring_to_front(self):
        pass

    def is_closed(self):
        return self.closed

    def close(self, **_):
        if self.closed:
            return
        self.closed = True
        driver, self.driver = self.driver, None
        for event, callback in (("document", self._new_document), ("worker", self._new_worker)):
            if callback in self.context.proxy.listeners[event]:
                self.context.proxy.listeners[event].remove(callback)
        if driver is None:
            return
        if self.context.closing or self.context.spare is not None:
            _quit_quietly(driver)
            return
        try:  # kept for the context's next page
            driver.get("about:blank")
            self.context.spare = (driver, self.load_strategy)
        except Exception:  # noqa: BLE001 - a lost session is not kept
            _quit_quietly(driver)

    # -- events ------------------------------------------------------------------------------

    def on(self, event: str, callback):
        if event not in ("console", "pageerror", "dialog", "close", "load", "worker"):
            raise Unsupported(f"page.on({event!r})")
        self.listeners.setdefault(event, []).append(callback)

    def tap(self, selector, **_):
        raise Unsupported("tap: WebDriver emulates no touch screen")

    def route(self, url, handler):
        self.context.route(url, handler)  # a context has this one page

    def unroute(self, url, handler=None):
        self.context.unroute(url, handler)

    # The proxy sees each new document's request and each new worker's script request (never
    # cached: Proxy._forward); a worker that ends is not seen, and one whose script a service
    # worker answers from its cache (offline) is not seen either.
    def _new_document(self, request):
        self._workers = []

    def _new_worker(self, request):
        worker = Worker(request.url)
        self._workers.append(worker)
        for callback in list(self.listeners.get("worker", [])):
            callback(worker)

    @property
    def workers(self) -> list[Worker]:
        """The workers this page's document started (as far as the proxy saw them)."""
        return list(self._workers)

    def remove_listener(self, event, callback):
        if callback in self.listeners.get(event, []):
            self.listeners[event].remove(callback)

    def take_page_errors(self) -> list[str]:
        """The page's own record of its errors (window.practiceErrors, static/js/errors.js),
        emptied; each is also given to "pageerror" listeners. WebDriver cannot read WebKit's
        console: this is what stands for it."""
        if self.driver is None or self.closed:
            return []
        try:
            errors = self._script(
                "const e = window.practiceErrors; return Array.isArray(e) ? e.splice(0) : [];",
                what="practiceErrors") or []
        except SessionLost:
            raise
        except Exception:  # noqa: BLE001 - a page mid-navigation has nothing to read
            return []
        for text in errors:
            for callback in self.listeners.get("pageerror", []):
                callback(PageError(text))
            for callback in self.listeners.get("console", []):
                callback(ConsoleMessage("error", text))
        return [str(text) for text in errors]

    # -- waiting -----------------------------------------------------------------------------

    def _timeout(self, timeout):
        return (self.context.default_timeout if timeout is None else timeout) / 1000

    def _poll(self, probe, timeout, what: str):
        # None is the default timeout, 0 none at all, as in Playwright.
        deadline = time.monotonic() + (self._timeout(timeout) if timeout != 0 else 1e9)
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"Timeout {timeout if timeout is not None else self.context.default_timeout}ms exceeded: {what}")
            time.sleep(0.1)

    def wait_for_timeout(self, timeout):
        time.sleep(timeout / 1000)

    def wait_for_function(self, expression, *, arg=None, timeout=None, polling=None):
        timeout = self.context.default_timeout if timeout is None else timeout
        # Truthy as JavaScript has it: an object of functions alone comes back as {} (falsy).
        probe = (f"async (arg) => !!(await ({expression})(arg))" if _is_function(expression)
                 else f"() => !!({expression})")
        return self._poll(lambda: self.evaluate(probe, arg), timeout,
                          f"waiting for function {expression.strip()[:80]!r}")

    def wait_for_selector(self, selector, *, state="visible", timeout=None, strict=None):
        self.locator(selector).wait_for(state=state, timeout=timeout)
        return ElementHandle(self, self._elements([[selector, None]])[0]) \
            if state in ("visible", "attached") else None

    def wait_for_load_state(self, state="load", **_):
        self._poll(lambda: self._script("return document.readyState === 'complete';"), None,
                   "the load event")

    def wait_for_url(self, url, *, timeout=None, **_):
        # A glob must match the whole URL, a regular expression anywhere in it, as in Playwright.
        regex = _glob_regex(url) if isinstance(url, str) else url
        self._poll(lambda: bool(regex.search(self.url)) if hasattr(regex, "search") else url(self.url),
                   timeout, f"waiting for URL {url}")

    def _wait_attached(self, chain, timeout):
        self._poll(lambda: self._count(chain) > 0, timeout, f"waiting for {_describe(chain)}")

    def _count(self, chain):
        return self._script("return __resolve(__args[0]).length;", chain, what="count")

    # -- shortcuts on selectors --------------------------------------------------------------

    def locator(self, selector: str, *, has_text: str | None = None) -> Locator:
        return Locator(self, [[selector, None, has_text]])

    def get_by_role(self, role: str, *, name: str | None = None, **_) -> Locator:
        return self.locator(_role_selector(role, name))

    def get_by_text(self, text: str, exact=False) -> Locator:
        return self.locator(f'text="{text}"' if exact else f"text={text}")

    def click(self, selector, **options):
        self.locator(selector).click(**options)

    def dblclick(self, selector, **options):
        self.locator(selector).dblclick(**options)

    def fill(self, selector, value, **options):
        self.locator(selector).fill(value, **options)

    def type(self, selector, text, **options):
        self.locator(selector).type(text, **options)

    def press(self, selector, key, **options):
        self.locator(selector).press(key, **options)

    def focus(self, selector, **options):
        self.locator(selector).focus(**options)

    def hover(self, selector, **options):
        self.locator(selector).hover(**options)

    def get_attribute(self, selector, name, **options):
        return self.locator(selector).get_attribute(name, **options)

    def inner_text(self, selector, **options):
        return self.locator(selector).inner_text(**options)

    def inner_html(self, selector, **options):
        return self.locator(selector).inner_html(**options)

    def input_value(self, selector, **options):
        return self.locator(selector).input_value(**options)

    def text_content(self, selector, **options):
        return self.locator(selector).text_content(**options)

    def is_visible(self, selector, **_):
        return self.locator(selector).is_visible()

    def is_hidden(self, selector, **_):
        return self.locator(selector).is_hidden()

    def query_selector(self, selector):
        found = self._elements([[selector, None]])
        return ElementHandle(self, found[0]) if found else None

    def query_selector_all(self, selector):
        return [ElementHandle(self, element) for element in self._elements([[selector, None]])]

    # -- the window --------------------------------------------------------------------------

    def _size_viewport(self, size):
        """Size the window so that the viewport (innerWidth x innerHeight) is `size`."""
        width, height = size["width"], size["height"]
        inner = self._viewport()
        for _ in range(4):
            if inner == [width, height]:
                return
            current = self.driver.get_window_size()
            self._call("resize", self.driver.set_window_size,
                       current["width"] + width - inner[0], current["height"] + height - inner[1])
            inner, before = self._viewport(changed_from=inner), inner
            if inner == before:
                break  # the window is as small as it gets
        if inner != [width, height]:
            # MiniBrowser's window has a minimum size (its toolbar): no phone's width, say.
            raise Unsupported(f"a {width}x{height} viewport: WebKitGTK's MiniBrowser window "
                              f"gives {inner[0]}x{inner[1]} at the nearest")

    def _viewport(self, changed_from=None) -> list[int]:
        """[innerWidth, innerHeight]; after a resize (from `changed_from`), once it has reached
        the page. The X server and the web process take their time under load: the size is read
        until it differs from `changed_from` (for at most 2 s, since a window at its minimum
        does not change), then until two reads 100 ms apart agree."""
        def read():
            return self.driver.execute_script("return [innerWidth, innerHeight];")

        now = read()
        if changed_from is None:
            return now
        deadline = time.monotonic() + 2
        while now == changed_from and time.monotonic() < deadline:
            time.sleep(0.05)
            now = read()
        for _ in range(20):
            time.sleep(0.1)
            last, now = now, read()
            if now == last:
                break
        return now

    def set_viewport_size(self, size):
        self.viewport_size = dict(size)
        self._size_viewport(size)

    def screenshot(self, *, path=None, full_page=False, **_):
        """A screenshot of the viewport, given up after SCREENSHOT_TIMEOUT_S (WebKit's can hang)."""
        box = {}

        def take():
            try:
                box["png"] = self.driver.get_screenshot_as_png()
            except Exception as error:  # noqa: BLE001 - reported below
                box["error"] = error

        thread = threading.Thread(target=take, daemon=True)
        thread.start()
        thread.join(SCREENSHOT_TIMEOUT_S)
        if thread.is_alive():
            raise TimeoutError(f"WebKit's screenshot did not come within {SCREENSHOT_TIMEOUT_S} s")
        if "error" in box:
            raise box["error"]
        if path:
            Path(path).write_bytes(box["png"])
        return box["png"]

    def expect_popup(self, *_, **__):
        raise Unsupported("a new tab or popup (WebDriver sees one window per session here)")

    expect_page = expect_popup

    def pause(self):
        pass


def _new_session(options, environment: dict, log_path: str):
    """A new WebKitWebDriver session, or an error within SESSION_START_S; the driver and its
    browser write to `log_path`.

    The driver sometimes starts its browser and then never answers the new-session request, on
    a quiet machine too; Selenium would wait on it forever. The start runs in a thread, and one
    that has not answered in time has its driver and that driver's browser killed."""
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.service import Service

    service = Service(DRIVER, env=environment, log_output=log_path)
    started: dict = {}

    def start():
        try:
            started["driver"] = webdriver.WebKitGTK(options=options, service=service)
        except Exception as error:  # noqa: BLE001 - handed to the caller
            started["error"] = error

    thread = threading.Thread(target=start, daemon=True)
    thread.start()
    thread.join(SESSION_START_S)
    if thread.is_alive():
        process = getattr(service, "process", None)
        if process is not None:
            _kill_tree(process.pid)
        thread.join(10)
        raise TimeoutError(f"no session after {SESSION_START_S} s")
    if "error" in started:
        raise started["error"]
    return started["driver"]


def descendants(pid: int) -> list[int]:
    """The living processes below `pid` (children, theirs, and so on), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":  # a zombie has ended; only its parent has not reaped it yet
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], list(children.get(pid, []))
    while queue:
        found.append(queue.pop())
        queue.extend(children.get(found[-1], []))
    return found


def process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def browser_processes(driver, name: str = "MiniBrowser") -> list[int]:
    """The MiniBrowser (WebKitGTK's browser) of a session, running under its driver, or its
    processes of another `name` ("WebKitWebProces", its pages' web processes)."""
    try:
        pid = driver.service.process.pid
    except AttributeError:
        return []
    return [each for each in descendants(pid) if process_name(each) == name]


def _kill_tree(pid: int):
    """Kill a process and every process below it (the driver, its browser, the browser's own)."""
    for each in [pid, *descendants(pid)]:
        try:
            os.kill(each, 9)
        except OSError:
            pass


def _log_text(driver) -> str:
    """A session's driver log (its browser's output is in it too)."""
    try:
        return Path(driver.service.log_output.name).read_text(errors="replace")
    except (AttributeError, OSError, TypeError):
        return ""


def _log_tail(driver, lines: int = 20) -> str:
    return "\n".join(_log_text(driver).rstrip().splitlines()[-lines:])


def _logged(driver, line: str, wait: float = 0.5) -> bool:
    """Whether a session's driver log has `line`, within `wait` seconds (the browser may log a
    crash a moment after the driver has answered the call it failed)."""
    deadline = time.monotonic() + wait
    while line not in _log_text(driver):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _quit_quietly(driver):
    try:
        driver.quit()
    except Exception:  # noqa: BLE001 - a lost session cannot be quit cleanly
        try:
            driver.service.stop()
        except Exception:  # noqa: BLE001
            pass


def _describe(chain) -> str:
    return " >> ".join(selector + (f" >> has_text={step[2]!r}" if len(step) > 2 and step[2] else "")
                       + ("" if step[1] is None else f" >> nth={step[1]}")
                       for step in chain for selector in [step[0]])


def _role_selector(role: str, name: str | None) -> str:
    return f'role={role}' + ("" if name is None else f'[name="{name}"]')


class Error(Exception):
    """A script that threw in the page (Playwright's playwright.sync_api.Error stands here)."""


class Response:
    """A navigation's response: the last document the proxy passed on for its URL."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        documents = [doc for doc in page.context.proxy.documents if doc.url == url]
        self.document = documents[-1] if documents else None
        self.status = self.document.status if self.document else 200
        self.ok = 200 <= self.status < 400

    @property
    def headers(self) -> dict:
        if self.document is None:
            raise Unsupported("response headers of a navigation answered by a service worker "
                              "or the browser's cache")
        return self.document.headers


class PageError(str):
    @property
    def message(self):
        return str(self)


class ConsoleMessage:
    def __init__(self, type_, text):
        self.type, self.text = type_, text


class Dialog:
    def __init__(self, alert):
        self.alert = alert
        self.message = alert.text
        self.handled = False
        self.type = "alert"

    def dismiss(self):
        self.handled = True
        self.alert.dismiss()

    def accept(self, prompt_text=None):
        self.handled = True
        if prompt_text is not None:
            self.alert.send_keys(prompt_text)
        self.alert.accept()


# WebKit's innerText keeps the line break after a last block child (a cell holding a <pre>
# gives "[4, 6]\n"); the standard removes such required line breaks at the end, and
# Chromium and Firefox do. A line break that is in the text itself stays.
INNER_TEXT = ("el => { const t = el.innerText; "
              "return /\\n[ \\t]*$/.test(el.textContent) ? t : t.replace(/\\n+$/, ''); }")


class Keyboard:
    def __init__(self, page: Page):
        self.page = page

    def _actions(self):
        from selenium.webdriver.common.action_chains import ActionChains
        return ActionChains(self.page.driver)

    def press(self, key: str, **_):
        keys = _keys()
        *modifiers, last = key.split("+") if key != "+" else ["+"]
        if last == "" and key.endswith("+"):
            last = "+"
        actions = _with_modifiers(self.page.driver, modifiers,
                                  lambda chain: chain.send_keys(keys.get(last, last)))
        self.page._call("keyboard", actions.perform)

    def type(self, text: str, **_):
        from selenium.webdriver.common.keys import Keys
        for piece in re.split(r"(\n)", text):
            if not piece:
                continue
            actions = self._actions()
            actions.send_keys(Keys.ENTER if piece == "\n" else piece)
            self.page._call("keyboard", actions.perform)

    insert_text = type

    def down(self, key):
        actions = self._actions()
        actions.key_down(_keys().get(key, key))
        self.page._call("keyboard", actions.perform)

    def up(self, key):
        actions = self._actions()
        actions.key_up(_keys().get(key, key))
        self.page._call("keyboard", actions.perform)


class Mouse:
    def __init__(self, page: Page):
        self.page = page

    def click(self, x, y, **_):
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        builder = ActionBuilder(self.page.driver)
        builder.pointer_action.move_to_location(int(x), int(y)).click()
        self.page._call("mouse", builder.perform)

    def wheel(self, dx, dy):
        self.page.evaluate("([dx, dy]) => scrollBy(dx, dy)", [dx, dy])


class Locator:
    def __init__(self, page: Page, chain):
        self.page = page
        self.chain = chain

    def __repr__(self):
        return f"<Locator {_describe(self.chain)}>"

    def _with(self, nth):
        chain = [list(step) for step in self.chain]
        chain[-1][1] = nth
        return Locator(self.page, chain)

    def locator(self, selector: str, *, has_text: str | None = None) -> Locator:
        return Locator(self.page, [*self.chain, [selector, None, has_text]])

    def get_by_role(self, role: str, *, name: str | None = None, **_) -> Locator:
        return self.locator(_role_selector(role, name))

    def nth(self, index: int) -> Locator:
        return self._with(index)

    @property
    def first(self) -> Locator:
        return self._with(0)

    @property
    def last(self) -> Locator:
        return self._with(-1)

    def count(self) -> int:
        return self.page._count(self.chain)

    def all(self) -> list[Locator]:
        return [self.nth(index) for index in range(self.count())]

    def _state(self):
        return self.page._script(
            "const el = __resolve(__args[0])[0]; if (!el) return 'detached';"
            "return __visible(el) ? 'visible' : 'hidden';", self.chain, what="state")

    def wait_for(self, *, state="visible", timeout=None):
        wanted = {
            "visible": lambda s: s == "visible",
            "hidden": lambda s: s != "visible",
            "attached": lambda s: s != "detached",
            "detached": lambda s: s == "detached",
        }[state]
        self.page._poll(lambda: wanted(self._state()), timeout,
                        f"waiting for {_describe(self.chain)} to be {state}")

    def is_visible(self, **_) -> bool:
        return self._state() == "visible"

    def is_hidden(self, **_) -> bool:
        return self._state() != "visible"

    def is_enabled(self, **_) -> bool:
        return self.evaluate("el => !el.disabled")

    def is_disabled(self, **_) -> bool:
        return self.evaluate("el => !!el.disabled")

    def is_checked(self, **_) -> bool:
        return self.evaluate("el => !!el.checked")

    def evaluate(self, expression, arg=None, **options):
        return self.page._chain_eval(self.chain, expression, arg, timeout=options.get("timeout"))

    def evaluate_all(self, expression, arg=None):
        return self.page._chain_eval(self.chain, expression, arg, all_=True)

    def get_attribute(self, name, **options):
        return self.evaluate("(el, name) => el.getAttribute(name)", name, **options)

    def inner_text(self, **options):
        return self.evaluate(f"el => ({INNER_TEXT})(el)", **options)

    def inner_html(self, **options):
        return self.evaluate("el => el.innerHTML", **options)

    def text_content(self, **options):
        return self.evaluate("el => el.textContent", **options)

    def input_value(self, **options):
        return self.evaluate("el => el.value", **options)

    def all_inner_texts(self):
        return self.evaluate_all(f"els => els.map({INNER_TEXT})")

    def all_text_contents(self):
        return self.evaluate_all("els => els.map(el => el.textContent)")

    def bounding_box(self, **options):
        return self.evaluate(
            "el => { const r = el.getBoundingClientRect(); "
            "return r.width || r.height ? {x: r.x, y: r.y, width: r.width, height: r.height} : null; }",
            **options)

    def scroll_into_view_if_needed(self, **options):
        self.evaluate("el => el.scrollIntoView({block: 'center', inline: 'nearest'})", **options)

    def focus(self, **options):
        self.evaluate("el => el.focus()", **options)

    def blur(self, **options):
        self.evaluate("el => el.blur()", **options)

    def element_handle(self, **options) -> ElementHandle:
        self.page._wait_attached(self.chain, options.get("timeout"))
        return ElementHandle(self.page, self.page._elements(self.chain)[0])

    def _modified_click(self, element, modifiers):
        """A click with keys held (Control: a new tab, for a link); the window it may open is
        not followed (one window per session)."""
        actions = _with_modifiers(self.page.driver, modifiers, lambda chain: chain.click(element))
        self.page._call("click", actions.perform)

    def _actionable(self, timeout, *, enabled=True):
        """Wait until the element is visible (and enabled); return its WebElement."""
        def ready():
            state = self.page._script(
                "const el = __resolve(__args[0])[0]; if (!el) return 'detached';"
                "if (!__visible(el)) return 'hidden';"
                "if (__args[1] && el.disabled) return 'disabled'; return 'ok';",
                self.chain, enabled, what="actionable")
            return state == "ok"
        self.page._poll(ready, timeout, f"waiting for {_describe(self.chain)} to be visible"
                        + (" and enabled" if enabled else ""))
        return self.page._elements(self.chain)[0]

    def click(self, *, timeout=None, modifiers=None, button="left", click_count=1, force=False,
              position=None, **_):
        if button != "left":
            raise Unsupported(f"click(button={button!r})")
        from selenium.common.exceptions import (ElementClickInterceptedException,
                                                ElementNotInteractableException,
                                                StaleElementReferenceException)
        deadline = time.monotonic() + self.page._timeout(timeout)
        while True:
            element = self._actionable(timeout)
            try:
                link = self.page._script(
                    "const el = __resolve(__args[0])[0]; window.__webkitDocument = true;"
                    "window.__webkitHref = location.href;"
                    "return !!(el && el.closest('a[href]:not([href^=\"#\"])'));", self.chain, what="click")
                for _ in range(click_count):
                    if modifiers:
                        self._modified_click(element, modifiers)
                    else:
                        self.page._call("click", element.click)
                if link and not modifiers:  # a modified click opens a new window, if anything
                    self.page._after_link_click()
                return
            except (ElementClickInterceptedException, ElementNotInteractableException,
                    StaleElementReferenceException):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"click on {_describe(self.chain)}: never clickable")
                time.sleep(0.1)

    def dblclick(self, **options):
        self.click(click_count=2, **options)

    def hover(self, **options):
        from selenium.webdriver.common.action_chains import ActionChains
        element = self._actionable(options.get("timeout"), enabled=False)
        self.page._call("hover", ActionChains(self.page.driver).move_to_element(element).perform)

    def fill(self, value: str, **options):
        element = self._actionable(options.get("timeout"))
        self.page._script(
            "const el = __resolve(__args[0])[0]; el.focus();"
            "if ('value' in el && el.tagName !== 'BUTTON') {"
            "  el.value = __args[1];"
            "  el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: __args[1]}));"
            "  el.dispatchEvent(new Event('change', {bubbles: true})); return;"
            "}"
            "document.execCommand('selectAll'); document.execCommand('insertText', false, __args[1]);",
            self.chain, value, what="fill")
        del element

    def clear(self, **options):
        self.fill("", **options)

    def press(self, key: str, **options):
        self.focus(**options)
        self.page.keyboard.press(key)

    def type(self, text: str, **options):
        self.focus(**options)
        self.page.keyboard.type(text)

    press_sequentially = type

    def check(self, **options):
        if not self.is_checked():
            self.click(**options)

    def screenshot(self, **options):
        return self.page.screenshot(**options)


class ElementHandle:
    """A WebElement where Playwright hands out an element handle (as a script's argument)."""

    def __init__(self, page: Page, element):
        self.page = page
        self.element = element

    def evaluate(self, expression, arg=None):
        return self.page._script(
            f"const __f = ({expression});\nreturn await __f(__args[1], __args[0]);",
            _jsonable(arg), self.element, what="evaluate")

    def get_attribute(self, name):
        return self.evaluate("(el, name) => el.getAttribute(name)", name)

    def inner_text(self):
        return self.evaluate(f"el => ({INNER_TEXT})(el)")

    def click(self, **_):
        self.page._call("click", self.element.click)


def shutil_which_ok() -> bool:
    """Whether this machine can run the adapter at all."""
    return bool(shutil.which("Xvfb")) and Path(DRIVER).exists()
