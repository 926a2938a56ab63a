"""Serve: dist/ on localhost with the host headers, rebuilt and reloaded as sources change.

`make_server` is the static server the tests and the benchmark use too (with or without the
headers of _headers); `serve` adds the watcher, which rebuilds in a fresh `build.py` process
on every change and tells open pages through a server-sent event stream, whose script
(live_reload.js, beside this module) reloads them or shows the build's error. Hands on
nothing: it runs until interrupted.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from sitebuild import DIST, ROOT
from sitebuild.host_files import read_headers_file

# Injected by the development server into every page; not part of dist/.
LIVE_RELOAD_SCRIPT = Path(__file__).with_name("live_reload.js")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve dist/ with correct MIME types and, when `host_headers`, the headers its _headers
    file asks of hosts (cross-origin isolation, caching), as Netlify or Cloudflare Pages would.

    With `live` set (the development server), pages also get a script that reloads them after
    each rebuild, or shows the build's error, through the event stream at /__live/events.
    """

    host_headers = True
    live: "LiveReload | None" = None
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".woff2": "font/woff2",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def do_GET(self) -> None:
        if self.live and self.path == "/__live/events":
            return self.stream_builds()
        if self.live and self.path == "/__live/reload.js":
            return self.send_text(LIVE_RELOAD_SCRIPT.read_text(), "text/javascript")
        if self.live and self.path.split("?")[0].endswith("/"):
            page = Path(self.translate_path(self.path)) / "index.html"
            if page.is_file():
                script = '<script type="module" src="/__live/reload.js"></script>\n</head>'
                return self.send_text(page.read_text().replace("</head>", script, 1), "text/html")
        return super().do_GET()

    def send_text(self, text: str, content_type: str) -> None:
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream_builds(self) -> None:
        """Send an event for each build after the page connected, until it goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        version, error = self.live.version, self.live.error
        if error:
            self.wfile.write(f"event: build\ndata: {json.dumps({'error': error})}\n\n".encode())
        while True:
            latest, error = self.live.wait(version, timeout=15)
            message = (f"event: build\ndata: {json.dumps({'error': error})}\n\n"
                       if latest != version else ": keep-alive\n\n")
            version = latest
            self.wfile.write(message.encode())
            self.wfile.flush()

    def end_headers(self) -> None:
        rules = host_rules(Path(self.directory) / "_headers") if self.host_headers else {}
        path = self.path.split("?")[0]
        sent = set()
        for pattern, headers in rules.items():
            if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path):
                for name, value in headers:
                    self.send_header(name, value)
                    sent.add(name.lower())
        if "cache-control" not in sent:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("PRACTICE_SERVER_LOG"):
            super().log_message(format, *args)


def host_rules(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The rules of a _headers file, parsed once per version of the file, not per response."""
    return _parsed_headers(path, path.stat().st_mtime_ns if path.is_file() else None)


@functools.lru_cache(maxsize=8)
def _parsed_headers(path: Path, version: int | None) -> dict[str, list[tuple[str, str]]]:
    return read_headers_file(path)


class SiteServer(http.server.ThreadingHTTPServer):
    """A threading server that takes a browser dropping a connection in its stride."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def make_server(directory: Path, port: int = 8000, *, host_headers: bool = True,
                live: LiveReload | None = None) -> SiteServer:
    """Return a server for `directory` on 127.0.0.1 (port 0 picks a free one); without
    `host_headers` it is a plain static server, like GitHub Pages or `python -m http.server`."""
    handler = type("Handler", (SiteHandler,), {"host_headers": host_headers, "live": live})
    return SiteServer(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


def serve(port: int) -> None:
    """Serve dist/ until interrupted, rebuilding and reloading open pages when sources change."""
    live = LiveReload()
    server = make_server(DIST, port, live=live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {DIST.relative_to(ROOT)}/ at http://127.0.0.1:{port}/ (Ctrl+C stops)")
    try:
        watch_sources(live)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


WATCHED = ("problems", "static", "runner", "index.html")


def source_snapshot() -> dict[str, float]:
    """Modification times of every file the site is built from."""
    snapshot = {}
    for name in WATCHED:
        path = ROOT / name
        for file in [path] if path.is_file() else path.rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                snapshot[str(file)] = file.stat().st_mtime
    return snapshot


def watch_sources(live: "LiveReload", interval: float = 0.3) -> None:
    """Rebuild in a fresh process whenever a source changes; tell open pages how it went."""
    seen = source_snapshot()
    while True:
        time.sleep(interval)
        current = source_snapshot()
        if current == seen:
            continue
        seen = current
        completed = subprocess.run(
            [sys.executable, str(ROOT / "build.py")], cwd=ROOT, capture_output=True, text=True
        )
        if completed.returncode == 0:
            print(f"{time.strftime('%H:%M:%S')} rebuilt; reloading open pages")
            live.publish(None)
        else:
            report = completed.stderr.strip() or completed.stdout.strip()
            print(f"{time.strftime('%H:%M:%S')} build failed; dist/ unchanged:\n{report}")
            live.publish(report)


class LiveReload:
    """Build outcomes for open pages: a version that grows with each build, and its error."""

    def __init__(self):
        self.version, self.error = 0, None
        self.changed = threading.Condition()

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()

    def wait(self, version: int, timeout: float) -> tuple[int, str | None]:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout)
            return self.version, self.error
