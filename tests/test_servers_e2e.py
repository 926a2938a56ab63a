"""Deployment on the servers people run, each serving the site under /practice/: Debian's nginx
and Apache with their stock configuration (only the port, root and logs changed), and a server
that knows only the common types and sends everything else as application/octet-stream, as
object stores and older servers do. Then nginx and Apache with docs/deploy.md's snippets for the
isolation headers.

The tests start and stop each server themselves on a free port of 127.0.0.1, one per kind for
the whole module. nginx and Apache run their workers as www-data (when started as root), so the
site is served from a world-readable copy outside pytest's private temporary folder.
"""

import contextlib
import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import STOPPED_IN_PLACE, needs, wait_ready
from sitebuild.runtime import PYODIDE_PATH
from sitebuild.serve import SiteServer
from test_deploy_e2e import ALL_PASS, wait_offline_copy
from test_e2e import INFINITE_LOOP, REFERENCE, TEST_NAMES, message, run

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
SUB_PATH = "practice/"
PROBLEM = "linear-backward/"

# Debian's /etc/nginx/nginx.conf and sites-available/default as shipped, less what a test cannot
# have (port 80, logs and temporary files under /var): the stock mime.types and gzip setting.
NGINX_CONF = """\
user www-data;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
daemon off;
events {{
	worker_connections 768;
}}
http {{
	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log {run}/access.log;
	gzip on;
	client_body_temp_path {run}/body;
	proxy_temp_path {run}/proxy;
	fastcgi_temp_path {run}/fastcgi;
	uwsgi_temp_path {run}/uwsgi;
	scgi_temp_path {run}/scgi;
	server {{
		listen 127.0.0.1:{port};
		root {www};
		index index.html index.htm index.nginx-debian.html;
		server_name _;
		location / {{
			try_files $uri $uri/ =404;
		}}
{snippet}
	}}
}}
"""

# Debian's apache2.conf and sites-available/000-default.conf with the modules Debian enables that
# serving files involves (mime with the stock /etc/mime.types, dir, deflate), and headers for
# docs/deploy.md's snippet.
APACHE_CONF = """\
ServerRoot /etc/apache2
ServerName 127.0.0.1
DefaultRuntimeDir {run}
PidFile {run}/apache2.pid
Mutex file:{run} default
ErrorLog {run}/error.log
LogLevel warn
User www-data
Group www-data
Listen 127.0.0.1:{port}
{modules}
<Directory />
	Options FollowSymLinks
	AllowOverride None
	Require all denied
</Directory>
<Directory {www}/>
	Options FollowSymLinks
	AllowOverride None
	Require all granted
</Directory>
<VirtualHost *:{port}>
	DocumentRoot {www}
{snippet}
</VirtualHost>
"""
APACHE_MODULES = ("mpm_event", "authz_core", "mime", "dir", "filter", "deflate")

COMMON_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".json": "application/json", ".wasm": "application/wasm",
    ".png": "image/png", ".svg": "image/svg+xml", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
}


class BareTypesHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that maps only `types`, and sends anything else as
    application/octet-stream."""

    types = COMMON_TYPES

    def guess_type(self, path) -> str:
        return self.types.get(os.path.splitext(path)[1].lower(), "application/octet-stream")

    def log_message(self, format, *args) -> None:
        pass


def readme_snippet(language: str) -> str:
    """docs/deploy.md's one code block in `language`: what the tests run is what it documents."""
    readme = (ROOT / "docs" / "deploy.md").read_text()
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", readme, re.M | re.S)
    assert len(blocks) == 1, f"docs/deploy.md has {len(blocks)} ```{language} blocks, expected 1"
    return blocks[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(command: list[str], port: int, log: Path):
    """Run a server until the block ends; fail with its error log if it does not listen."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.poll() is not None else ""
                errors = log.read_text() if log.is_file() else ""
                pytest.fail(f"{command[0]} did not start on port {port}:\n{output}{errors}")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@contextlib.contextmanager
def serving(kind: str, www: Path, snippet: str = ""):
    """Serve `www` with a server of `kind` ("nginx", "apache", "bare-types" or
    "bare-types-without-wasm"); yield the site's URL under the sub-path."""
    port = free_port()
    if kind.startswith("bare-types"):
        types = dict(COMMON_TYPES)
        if kind == "bare-types-without-wasm":
            del types[".wasm"]
        handler = type("Handler", (BareTypesHandler,), {"types": types})
        server = SiteServer(("127.0.0.1", port),
                                  functools.partial(handler, directory=str(www)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{port}/{SUB_PATH}"
        finally:
            server.shutdown()
            server.server_close()
        return
    run_dir = Path(tempfile.mkdtemp(prefix=f"practice-{kind}-"))
    if os.geteuid() == 0:  # Apache's children, as www-data, take locks in it
        shutil.chown(run_dir, "www-data", "www-data")
    conf = run_dir / f"{kind}.conf"
    if kind == "nginx":
        conf.write_text(NGINX_CONF.format(run=run_dir, www=www, port=port, snippet=snippet))
        command = [NGINX, "-e", str(run_dir / "error.log"), "-p", str(run_dir), "-c", str(conf)]
    else:
        modules = [*APACHE_MODULES, "headers"] if snippet else APACHE_MODULES
        includes = "\n".join(f"Include mods-available/{name}.{part}" for name in modules
                             for part in ("load", "conf")
                             if Path(f"/etc/apache2/mods-available/{name}.{part}").is_file())
        conf.write_text(APACHE_CONF.format(run=run_dir, www=www, port=port, snippet=snippet,
                                           modules=includes))
        command = [APACHE, "-f", str(conf), "-DFOREGROUND"]
    try:
        with running(command, port, run_dir / "error.log"):
            yield f"http://127.0.0.1:{port}/{SUB_PATH}"
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def www(site):
    """A world-readable folder holding the built site under the sub-path."""
    folder = Path(tempfile.mkdtemp(prefix="practice-www-"))
    shutil.copytree(site, folder / SUB_PATH)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module", params=["nginx", "apache", "bare-types"])
def stock_url(request, www):
    """The site under /practice/ of a server as it comes, which sends no isolation headers."""
    with serving(request.param, www) as url:
        yield url


@pytest.fixture(scope="module", params=["nginx", "apache"])
def isolated_url(request, www):
    """The site under /practice/ of nginx or Apache with docs/deploy.md's snippet for the headers."""
    with serving(request.param, www, readme_snippet(request.param)) as url:
        yield url


def test_the_worker_imports_pyodide_from_a_file_sent_as_javascript(stock_url):
    def text(path):
        with urllib.request.urlopen(f"{stock_url}{path}") as response:
            return response.read().decode()

    worker = re.search(r'"workerPath": *"\.\./([^"]+)"', text(PROBLEM)).group(1)
    module = re.search(r'module:"([^"]+)"', text(worker))
    assert module, "the worker names Pyodide's module in its settings"
    with urllib.request.urlopen(f"{stock_url}{PYODIDE_PATH}/{module[1]}") as response:
        assert response.headers.get_content_type() in ("text/javascript", "application/javascript")


def test_catalog_to_problem_grades_and_recovers_from_runaway_code(context_of, stock_url):
    page = context_of(service_workers="block").new_page()
    page.goto(stock_url)
    page.click("text=Linear backward (chain rule)")
    assert page.url == f"{stock_url}{PROBLEM}"
    assert page.evaluate("crossOriginIsolated") is False
    wait_ready(page)
    assert run(page, REFERENCE) == ALL_PASS
    assert set(run(page, INFINITE_LOOP).values()) == {"timeout"}
    assert message(page, TEST_NAMES[0]) == STOPPED_IN_PLACE  # on the worker's own clock
    assert page.get_attribute("[data-testid=runtime-status]", "data-state") == "ready"
    assert run(page, REFERENCE) == ALL_PASS


def test_second_visit_works_offline(context_of, engine, stock_url):
    needs(engine, "offline")
    context = context_of()
    page = context.new_page()
    page.goto(stock_url)  # the catalog installs the offline copy too, without starting Python
    wait_offline_copy(page)
    context.set_offline(True)
    page.click("text=Linear backward (chain rule)")
    wait_ready(page)
    # The service worker tells the page it came from the offline copy, shortly after it starts.
    page.wait_for_selector("[data-testid=runtime-status][data-source=offline-copy]")
    assert page.inner_text("[data-testid=runtime-status]") == "Python ready (offline copy)"
    assert run(page, REFERENCE) == ALL_PASS


def test_readme_snippet_isolates_the_page_and_runaway_code_stops_in_place(context_of, engine,
                                                                          isolated_url):
    page = context_of(service_workers="block").new_page()
    response = page.goto(f"{isolated_url}{PROBLEM}")
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cross-origin-embedder-policy"] == "require-corp"
    assert page.evaluate("crossOriginIsolated") is True
    wait_ready(page)
    assert set(run(page, INFINITE_LOOP).values()) == {"timeout"}
    # In place where the engine gives an isolated page shared memory (WebKitGTK does not).
    assert message(page, TEST_NAMES[0]) == STOPPED_IN_PLACE
    wait_ready(page)
    assert page.get_attribute("[data-testid=runtime-status]", "data-state") == "ready"
    assert run(page, REFERENCE) == ALL_PASS


def test_python_starts_when_wasm_comes_as_octet_stream(context_of, www):
    with serving("bare-types-without-wasm", www) as url:
        wasm = f"{url}{PYODIDE_PATH}/pyodide.asm.wasm"
        with urllib.request.urlopen(urllib.request.Request(wasm, method="HEAD")) as response:
            assert response.headers["Content-Type"] == "application/octet-stream"
        page = context_of(service_workers="block").new_page()
        page.goto(f"{url}{PROBLEM}")
        wait_ready(page)
        assert run(page, REFERENCE) == ALL_PASS
