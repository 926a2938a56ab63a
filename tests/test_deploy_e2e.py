"""Deployment: any host, any sub-path, offline after one visit, and the CDN option."""

import re
import shutil
import threading
import time
from pathlib import Path

from conftest import PageLog, needs, wait_ready
from sitebuild.host_files import read_headers_file
from sitebuild.pipeline import build
from sitebuild.runtime import PYODIDE_MODULE, PYODIDE_VERSION, copy_pyodide
from sitebuild.serve import make_server
from test_e2e import DB_MEAN, INFINITE_LOOP, LAZY_IMPORTS, LOOP_IN_C, REFERENCE, TEST_NAMES, message, run

ALL_PASS = {name: "pass" for name in TEST_NAMES}
ROOT = Path(__file__).resolve().parent.parent


def serve(directory: Path, *, host_headers: bool):
    server = make_server(directory, 0, host_headers=host_headers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_host_files_are_written(site):
    headers = read_headers_file(site / "_headers")
    assert ("Cross-Origin-Embedder-Policy", "require-corp") in headers["/*"]
    assert ("Cross-Origin-Opener-Policy", "same-origin") in headers["/*"]
    assert ("Cache-Control", "public, max-age=31536000, immutable") in headers["/static/*"]
    assert (site / ".nojekyll").is_file()
    not_found = (site / "404.html").read_text()
    assert 'href="./"' in not_found and "<script" not in not_found and "<link" not in not_found
    scripts = sorted(path.name for path in (site / "static" / "js").glob("*.js"))
    assert [name.split("-")[0] for name in scripts] == ["app", "catalog", "worker"]
    assert all(len(name.split("-")[1]) == len("XXXXXXXX.js") for name in scripts)


def test_plain_server_under_a_sub_path_runs_and_stops_runaway_code(context_of, site, tmp_path):
    shutil.copytree(site, tmp_path / "practice")
    server, url = serve(tmp_path, host_headers=False)
    try:
        page = context_of(service_workers="block").new_page()
        page.goto(f"{url}practice/")
        page.click("text=Linear backward (chain rule)")
        assert page.url == f"{url}practice/linear-backward/"
        assert page.evaluate("crossOriginIsolated") is False
        wait_ready(page)
        assert run(page, REFERENCE) == ALL_PASS
        assert set(run(page, INFINITE_LOOP).values()) == {"timeout"}
        assert message(page, TEST_NAMES[0]) == "Time limit exceeded: your code was stopped."
        assert run(page, REFERENCE) == ALL_PASS
        assert set(run(page, LOOP_IN_C).values()) == {"timeout"}
        assert message(page, TEST_NAMES[0]) == "Time limit exceeded (3 s): your code was stopped."
        wait_ready(page)
        assert run(page, REFERENCE) == ALL_PASS
        # The replaced worker fetches modules on first import from under the sub-path too.
        assert run(page, LAZY_IMPORTS) == ALL_PASS
    finally:
        server.shutdown()


def test_headers_file_makes_the_page_isolated(context_of, site_url):
    page = context_of(service_workers="block").new_page()
    response = page.goto(f"{site_url}linear-backward/")
    assert response.headers["cross-origin-embedder-policy"] == "require-corp"
    assert page.evaluate("crossOriginIsolated") is True


def test_catalog_groups_by_series_and_shows_progress(context_of, site_url):
    page = context_of(service_workers="block").new_page()
    page.goto(site_url)
    series = page.locator("[data-testid=catalog-series]")
    assert series.count() == 1
    assert series.locator("h2").inner_text() == "Build a neural network from scratch"
    items = page.locator("[data-testid=catalog-problem]")
    slugs = items.evaluate_all("items => items.map(i => i.dataset.slug)")
    assert slugs[:3] == ["linear-forward", "linear-backward", "relu-backward"]
    assert set(items.evaluate_all("items => items.map(i => i.dataset.progress)")) == {"not-started"}
    page.click("text=Linear backward (chain rule)")
    assert page.get_attribute("[data-testid=previous-problem]", "href") == "../linear-forward/"
    assert page.get_attribute("[data-testid=next-problem]", "href") == "../relu-backward/"
    wait_ready(page)
    run(page, DB_MEAN)
    page.goto(site_url)
    assert page.locator("[data-slug=linear-backward] [data-testid=progress]").inner_text() == "Attempted"
    page.click("text=Linear backward (chain rule)")
    wait_ready(page)
    run(page, REFERENCE)
    page.click("[data-testid=previous-problem]")  # moves in place: wait for the move
    page.wait_for_url(re.compile("/linear-forward/$"))
    page.wait_for_selector("[data-testid=next-problem][href='../linear-backward/']")
    page.click("text=ML practice")
    page.wait_for_url(site_url)
    assert page.locator("[data-slug=linear-backward] [data-testid=progress]").inner_text() == "Solved"
    assert page.locator("[data-slug=linear-forward] [data-testid=progress]").inner_text() == "Not started"


def wait_offline_copy(page) -> None:
    """Wait until the service worker controls the page, its precache complete."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)


def test_second_visit_works_offline(context_of, engine, site_url):
    needs(engine, "offline")
    context = context_of()
    page = context.new_page()
    page.goto(f"{site_url}linear-backward/")
    wait_offline_copy(page)
    # Online, a page the service worker controls still comes from the network, and says so.
    page.reload()
    wait_ready(page)
    page.wait_for_timeout(500)  # the service worker's answer about this page has arrived
    status = page.locator("[data-testid=runtime-status]")
    assert (status.get_attribute("data-source"), status.inner_text()) == ("network", "Python ready")
    context.set_offline(True)
    started = time.monotonic()
    page.reload()
    wait_ready(page)
    print(f"offline second visit: navigation to ready in {time.monotonic() - started:.2f} s")
    status = page.locator("[data-testid=runtime-status]")
    page.wait_for_selector("[data-testid=runtime-status][data-source=offline-copy]")
    assert status.inner_text() == "Python ready (offline copy)"
    # Modules fetched when first imported are in the offline copy too.
    assert run(page, LAZY_IMPORTS) == ALL_PASS
    assert "mean 3/4 7.0" in page.inner_text("[data-testid=console]")
    assert run(page, DB_MEAN)[TEST_NAMES[3]] == "fail"
    page.goto(site_url)
    page.click("text=Linear backward (chain rule)")
    page.wait_for_function("() => window.practiceApp")  # the page's script has run
    assert page.evaluate("() => window.practiceApp.getCode()") == DB_MEAN


def test_online_the_browser_fetches_what_a_page_needs_itself(context_of, engine, site_url):
    """Online, the service worker answers for the page alone: the browser fetches the rest
    through its HTTP cache, beside which Chromium keeps compiled code between visits. Files
    the service worker passed on from its own cache were compiled again on every visit
    (Pyodide's wasm and scripts: docs/benchmark.md, issue #16's goal 3)."""
    needs(engine, "service_worker_responses")
    context = context_of()
    page = context.new_page()
    page.goto(f"{site_url}linear-backward/")
    wait_offline_copy(page)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.reload()
    wait_ready(page)
    fetched = [response.url.removeprefix(site_url) for response in responses]
    assert any(path.endswith("pyodide.asm.wasm") for path in fetched), fetched  # the worker's too
    passed_on = [response.url.removeprefix(site_url) for response in responses
                 if response.from_service_worker]
    assert passed_on == ["linear-backward/"]


def test_a_page_served_from_the_offline_copy_while_the_server_is_down_says_so(context_of, site):
    server, url = serve(site, host_headers=True)
    context = context_of()
    page = context.new_page()
    page.goto(f"{url}linear-backward/")
    wait_offline_copy(page)
    server.shutdown()
    server.server_close()
    page.reload()  # the browser is online; only the server is gone
    wait_ready(page)
    page.wait_for_selector("[data-testid=runtime-status][data-source=offline-copy]")
    assert page.inner_text("[data-testid=runtime-status]") == "Python ready (offline copy)"


def test_a_new_build_takes_over_open_pages(context_of, site, tmp_path):
    live = tmp_path / "dist"
    shutil.copytree(site, live)
    server, url = serve(live, host_headers=True)
    try:
        context = context_of()
        page = context.new_page()
        page.goto(f"{url}linear-backward/")
        wait_offline_copy(page)
        wait_ready(page)
        old_version = page.evaluate("async () => (await caches.keys()).join()")
        problems = tmp_path / "problems"
        shutil.copytree(ROOT / "problems", problems)
        statement = problems / "linear-backward" / "problem.md"
        statement.write_text(statement.read_text().replace("## Background", "## Background\n\nNew build."))
        build(live, problems_dir=problems)
        page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.update())")
        page.wait_for_selector("text=New build.", timeout=60_000)
        wait_ready(page)
        page.wait_for_function("old => caches.keys().then(k => k.length === 1 && k[0] !== old)",
                               arg=old_version, timeout=60_000)
        assert run(page, REFERENCE) == ALL_PASS
    finally:
        server.shutdown()


def test_cdn_mode_loads_the_pinned_pyodide_from_another_origin(context_of, browser, tmp_path):
    cdn = tmp_path / "cdn" / "pyodide" / f"v{PYODIDE_VERSION}" / "full"
    copy_pyodide(cdn, as_released=True)
    (cdn / PYODIDE_MODULE).rename(cdn / "pyodide.mjs")  # as the CDN names it
    (tmp_path / "cdn" / "_headers").write_text(
        "/*\n  Access-Control-Allow-Origin: *\n  Cross-Origin-Resource-Policy: cross-origin\n")
    cdn_server, cdn_url = serve(tmp_path / "cdn", host_headers=True)
    site = tmp_path / "dist"
    build(site, pyodide_url=f"{cdn_url}pyodide/v{PYODIDE_VERSION}/full/")
    site_server, url = serve(site, host_headers=True)
    try:
        assert not (site / "pyodide").exists()
        page = context_of(service_workers="block").new_page()
        page.goto(f"{url}linear-backward/")
        wait_ready(page)
        assert page.evaluate("crossOriginIsolated") is True
        assert run(page, REFERENCE) == ALL_PASS
        assert run(page, LAZY_IMPORTS) == ALL_PASS

        (cdn / "pyodide.asm.js").write_bytes(b"not the pinned file")
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        log = PageLog(page)
        page.goto(f"{url}linear-backward/")
        status = page.locator("[data-testid=runtime-status][data-state=error]")
        status.wait_for(timeout=60_000)
        assert status.inner_text().startswith(
            "Could not load Python: pyodide.asm.js did not arrive intact")
        context.close()
        # Firefox reports the worker's refused file as the page's error too; nothing else.
        assert [line for line in log.take_errors() if "integrity" not in line] == []
    finally:
        cdn_server.shutdown()
        site_server.shutdown()
