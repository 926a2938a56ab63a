"""Benchmark the problem page against the bare-Pyodide floor, in each browser engine.

    python3 build.py bench [--rounds 5] [--json bench.json] [--engine chromium ...]
                           [--only load,navigation]

Serves a copy of the built site (with tests/benchmark/floor/ beside it) on localhost with the
headers of its _headers file, and measures, alternating floor and page in every round:

- navigation to runtime ready, cold (a fresh browser profile) and warm (a second visit);
- the same again from a server sending ordinary cache headers (max-age=600 on every file);
- the same again as a learner's browser has it: a profile of its own on disk (which keeps
  compiled code between visits, as the private profiles above do not), three visits, with the
  service worker blocked and, for the page, allowed (as it is for learners);
- for the page, navigation to the editor accepting input: the code area editable with the
  learner's code (the page's mark) and painted (first contentful paint), whichever is later;
- moving to the next problem in place (navigate.js): click on the next problem's link to its
  runtime ready (the page's own measure), through the series from its first problem (11
  moves, each preparing a grader not used before), without and with the link pointed at
  300 ms before the click;
- click on Run tests to all results rendered, warm (median of 20): for Linear backward with the
  shape lens on and off in turn (the lens's overhead is the difference of the medians), and for
  the XOR capstone's reference, which trains a network with the learner's earlier parts (the
  earlier problems' references, saved as a learner's would be);
- recovery from the time limit: from the limit firing to ready again, by interrupt and by
  replacing the worker (a loop inside C);
- results arriving to their pictures and figures drawn (the page's own measure): Linear
  backward's failed comparisons, and the capstone's loss curves and decision boundary;
- the bytes of our own assets (HTML, CSS, JS, fonts) against Pyodide's, and of the standard
  library and bytecode build.py compiles, raw and gzip;
- build.py's wall time for 1, 100 and 500 generated problems.

All of that in headless Chromium; in Firefox and WebKit (each `--engine`, all three by default),
navigation to ready, cold and warm, floor and page, as the first measure. An engine whose
browser does not start is left out with the reason printed.

Prints a table and writes the figures as JSON. Timings come from the page's own clock, as
performance marks both pages set (from navigation start): nothing is added to the pages.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sitebuild.pipeline import build  # noqa: E402
from sitebuild.runtime import (PYODIDE_CORE, PYODIDE_PATH, fetch_wheel,  # noqa: E402
                               numpy_wheel_pin, verify)
from sitebuild.serve import make_server  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_FLAGS, ENGINES, launched  # noqa: E402

FLOOR = Path(__file__).parent / "floor"
REFERENCE = (ROOT / "problems" / "linear-backward" / "solution.py").read_text()
CAPSTONE = (ROOT / "problems" / "train-xor" / "solution.py").read_text()
CAPSTONE_PARTS = {folder.name: (folder / "solution.py").read_text()
                  for folder in (ROOT / "problems").iterdir()
                  if (folder / "solution.py").is_file() and folder.name not in ("train-xor", "_template")}
# Five failed comparisons to draw: dW transposed (a shape), db averaged (bars).
WITH_PICTURES = REFERENCE.replace("x.T @ grad_out", "grad_out.T @ x").replace(
    "grad_out.sum(axis=0)", "grad_out.mean(axis=0)")
TIME_LIMIT_MS = 3000

# Marks the pages set themselves (the code area taking input, Python ready) and the browser's
# first contentful paint: nobody types into a page before it is painted.
MARKS = """() => Object.fromEntries(["practice:input-ready", "practice:ready", "first-contentful-paint"]
  .map((name) => [name.split(":").at(-1), performance.getEntriesByName(name)[0]?.startTime]))"""

CLICK_TO_RESULTS = """(source) => new Promise((resolve) => {
  window.practiceApp.setCode(source);
  const summary = document.querySelector('[data-testid=results-summary]');
  const status = document.querySelector('[data-testid=runtime-status]');
  let started, rendered;
  const observer = new MutationObserver(() => {
    if (!rendered && /passed$/.test(summary.textContent)) rendered = performance.now();
    if (rendered && status.dataset.state === 'ready') {
      observer.disconnect();
      resolve({ rendered: rendered - started, readyAgain: performance.now() - started });
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  started = performance.now();
  document.querySelector('[data-testid=run-tests]').click();
})"""


# Run, then wait for the page's measure of its pictures drawn after these results.
RUN_TO_PICTURES = """(source) => new Promise((resolve) => {
  const name = 'practice:pictures-drawn';
  const before = performance.getEntriesByName(name).length;
  window.practiceApp.setCode(source);
  document.querySelector('[data-testid=run-tests]').click();
  const poll = () => {
    const entries = performance.getEntriesByName(name);
    if (entries.length > before) resolve(entries.at(-1).duration);
    else setTimeout(poll, 20);
  };
  poll();
})"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="floor/page pairs per measure")
    parser.add_argument("--json", type=Path, default=ROOT / "bench.json")
    parser.add_argument("--skip-build-timing", action="store_true")
    parser.add_argument("--only", type=lambda text: set(text.split(",")), default=None,
                        help=f"measure only these, comma-separated: {','.join(MEASURES)} "
                             "(implies --skip-build-timing)")
    parser.add_argument("--engine", action="append", choices=ENGINES, dest="engines",
                        help="benchmark in this engine (repeat for more; default: all)")
    args = parser.parse_args()
    wanted = args.only or set(MEASURES)
    if args.only:
        args.skip_build_timing = True
    engines = [engine for engine in ENGINES if engine in (args.engines or ENGINES)]

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        shutil.copytree(FLOOR, site / "floor")
        # The floor runs Pyodide as released, with its own (uncompiled) standard library, lock
        # file and NumPy wheel, which the site does not serve: it loads the ones build.py
        # compiled and derived.
        released = ROOT / "node_modules" / "pyodide"
        for name in ("python_stdlib.zip", "pyodide-lock.json"):
            verify(released / name, PYODIDE_CORE[name])
        shutil.copy2(released / "python_stdlib.zip", site / "floor" / "python_stdlib.zip")
        shutil.copy2(released / "pyodide-lock.json", site / PYODIDE_PATH / "pyodide-lock.json")
        shutil.copy2(fetch_wheel(*numpy_wheel_pin()), site / PYODIDE_PATH)
        server = make_server(site, 0)
        handler = server.RequestHandlerClass  # a partial naming the site's folder
        server.RequestHandlerClass = functools.partial(
            type("Gzipping", (GzipHandler, handler.func), {}), **handler.keywords)
        server.sent = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        # The same files with ordinary cache headers (max-age=600 on every file, as many hosts
        # send), in place of the site's _headers (immutable for static/ and pyodide/, no-cache
        # for everything else, the floor's files included).
        plain = make_server(site, 0)
        plain.RequestHandlerClass = functools.partial(
            type("PlainCaching", (PlainCacheHandler, GzipHandler, handler.func), {}), **handler.keywords)
        plain.sent = []
        threading.Thread(target=plain.serve_forever, daemon=True).start()
        plain_url = f"http://127.0.0.1:{plain.server_address[1]}/"
        figures = {"engines": {}, "skipped": {}}
        for engine in engines:
            with contextlib.ExitStack() as stack:
                try:
                    browser = stack.enter_context(launched(engine))
                except Exception as error:  # noqa: BLE001 - say why, go on with the others
                    figures["skipped"][engine] = str(error)
                    print(f"{engine}: left out, its browser did not start: {error}")
                    continue
                print(f"{engine}: measuring", flush=True)
                if "load" in wanted:
                    load = measure_loads(browser, url, args.rounds, server)
                    figures["engines"][engine] = {"load": load}
                if engine == "chromium":
                    # The rest in Chromium only; throttling uses its DevTools protocol.
                    measures = {
                        "load": lambda: load,
                        "load_plain_cache": lambda: measure_loads(browser, plain_url, args.rounds,
                                                                  plain),
                        "throttled": lambda: measure_throttled(browser, url, args.rounds),
                        "navigation": lambda: measure_navigation(browser, url),
                        "run": lambda: measure_runs(browser, url, lens_off=True),
                        "capstone": lambda: measure_runs(browser, url, "train-xor", CAPSTONE,
                                                         CAPSTONE_PARTS, 5),
                        "pictures": lambda: measure_pictures(browser, url),
                        "recovery": lambda: measure_recovery(browser, url, args.rounds),
                        "bytes": lambda: measure_bytes(browser, url, site),
                    }
                    figures |= {name: measure() for name, measure in measures.items()
                                if name in wanted}
        if "load_own_profile" in wanted and "chromium" in engines:
            # Profiles on disk: Playwright launches each itself, after the shared browser.
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                figures["load_own_profile"] = measure_profile_loads(playwright, url, args.rounds)
        server.shutdown()
        plain.shutdown()
    if not args.skip_build_timing:
        figures["build_s"] = measure_build_times((1, 100, 500))
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print_table(figures)
    if "load" in figures:
        print_transfers(figures["load"])
    print_engines(figures)
    print(f"\nFigures written to {args.json}")
    return 0


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Send each file gzipped (level 6, as hosts compress) to a browser that accepts it, and
    note every response's body as sent, (path, bytes), in the server's `sent`."""

    compressed: dict = {}  # (path, mtime) -> gzipped bytes, made once

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            body = super().send_head()
            if body is not None and hasattr(body, "fileno"):
                self.server.sent.append((self.path, os.fstat(body.fileno()).st_size))
            return body
        key = (path, path.stat().st_mtime_ns)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(path.read_bytes(), 6, mtime=0)
        data = self.compressed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "GET":
            self.server.sent.append((self.path, len(data)))
        return io.BytesIO(data)


class PlainCacheHandler(http.server.SimpleHTTPRequestHandler):
    """Headers of a host with ordinary caching: cross-origin isolation as the site's _headers
    asks, and `Cache-Control: max-age=600` on every file, whatever _headers says."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "max-age=600")
        http.server.SimpleHTTPRequestHandler.end_headers(self)


def visit(context, url: str, server=None) -> dict:
    """Navigate to `url` and wait for ready; return the page's marks, and with `server` the
    bytes the server sent for the visit (its bodies, gzipped, from navigation to ready)."""
    before = len(server.sent) if server else 0
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(f"() => ({MARKS})().ready !== undefined", timeout=120_000)
    marks = page.evaluate(MARKS)
    page.close()
    if server:
        marks["sent"] = server.sent[before:]
    return marks


def measure_loads(browser, url: str, rounds: int, server) -> dict:
    """Cold and warm navigation to ready, floor and page alternating; the bytes each cold visit
    transferred."""
    samples = {key: [] for key in ("floor_cold", "floor_warm", "page_cold", "page_warm",
                                   "editor_cold", "editor_warm", "editable_cold", "editable_warm",
                                   "floor_sent", "page_sent")}
    for _ in range(rounds):
        for name, path in (("floor", "floor/"), ("page", "linear-backward/")):
            context = browser.new_context(service_workers="block")
            cold = visit(context, url + path, server)
            warm = visit(context, url + path)
            context.close()
            samples[f"{name}_cold"].append(cold["ready"])
            samples[f"{name}_warm"].append(warm["ready"])
            samples[f"{name}_sent"].append(cold["sent"])
            if name == "page":
                samples["editor_cold"].append(accepting_input(cold))
                samples["editor_warm"].append(accepting_input(warm))
                samples["editable_cold"].append(cold["input-ready"])
                samples["editable_warm"].append(warm["input-ready"])
    return samples


# A learner's browser: visits of a profile on disk (VISITS_OF_A_PROFILE of them, the first cold)
# as floor, page, and page with its service worker. Chromium keeps compiled code (V8's code
# cache, for JavaScript and WebAssembly) only in such a profile, and fills it over the first
# two visits: a private context (browser.new_context, as measure_loads uses) compiles again on
# every visit.
VISITS_OF_A_PROFILE = 3
PROFILE_KINDS = (("floor", "floor/", "block"), ("page", "linear-backward/", "block"),
                 ("page_sw", "linear-backward/", "allow"))


def measure_profile_loads(playwright, url: str, rounds: int) -> dict:
    """Navigation to ready on each visit of a fresh profile on disk, floor and page (service
    worker blocked, then allowed) alternating: {kind: [[ms per visit] per round]}."""
    samples = {kind: [] for kind, _, _ in PROFILE_KINDS}
    for _ in range(rounds):
        for kind, path, service_workers in PROFILE_KINDS:
            with tempfile.TemporaryDirectory() as profile:
                context = playwright.chromium.launch_persistent_context(
                    profile, executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                    service_workers=service_workers)
                visits = []
                for _ in range(VISITS_OF_A_PROFILE):
                    visits.append(visit(context, url + path)["ready"])
                    # Chromium writes compiled code after the visit; the service worker
                    # precaches the site after its first.
                    time.sleep(2)
                context.close()
            samples[kind].append(visits)
    return samples


# Chromium's emulated network for the throttled visits: 20 Mbit/s down, 40 ms latency.
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8,
            "uploadThroughput": 10e6 / 8}


def measure_throttled(browser, url: str, rounds: int) -> dict:
    """Cold navigation to ready, floor and page alternating, on a throttled network (THROTTLE,
    through the page's DevTools session, which also holds its worker's requests)."""
    samples = {"floor": [], "page": []}
    for _ in range(rounds):
        for name, path in (("floor", "floor/"), ("page", "linear-backward/")):
            context = browser.new_context(service_workers="block")
            page = context.new_page()
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", THROTTLE)
            page.goto(url + path, timeout=180_000)
            page.wait_for_function(f"() => ({MARKS})().ready !== undefined", timeout=180_000)
            samples[name].append(page.evaluate(MARKS)["ready"])
            context.close()
    return samples


# The measures --only can pick, in the order they run.
MEASURES = ("load", "load_plain_cache", "load_own_profile", "throttled", "navigation", "run",
            "capstone", "pictures", "recovery", "bytes")

# Click the next problem's link (after pointing at it for `point_ms`, unless null) and resolve
# with the page's measure from the click to that problem's runtime ready.
NEXT_PROBLEM = """async (point_ms) => {
  const link = document.querySelector('[data-testid=next-problem]');
  if (point_ms !== null) {
    link.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, point_ms));
  }
  link.click(); // clears the last move's measure at once
  return new Promise((resolve) => {
    const poll = () => {
      const ready = performance.getEntriesByName('practice:problem-ready')[0];
      if (ready) resolve(ready.duration);
      else setTimeout(poll, 5);
    };
    poll();
  });
}"""


def measure_navigation(browser, url: str) -> dict:
    """Click on the next problem's link to its runtime ready, in place, through the whole series
    from its first problem: every move prepares a grader the worker has not built before."""
    samples = {}
    for name, point_ms in (("next_problem", None), ("next_problem_pointed", 300)):
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        page.goto(url + "linear-forward/")
        page.wait_for_function(f"() => ({MARKS})().ready !== undefined", timeout=120_000)
        page.wait_for_function("() => document.querySelector('.cm-content') !== null")
        samples[name] = []
        while page.query_selector("[data-testid=next-problem]"):
            samples[name].append(page.evaluate(NEXT_PROBLEM, point_ms))
        workers = len(page.workers)
        context.close()
        assert workers == 1, f"{workers} workers after moving in place"
    return samples


def accepting_input(marks: dict) -> float:
    """When the code area is editable, holds the learner's code, and has been painted."""
    return max(marks["input-ready"], marks.get("first-contentful-paint") or 0)


def measure_runs(browser, url: str, slug: str = "linear-backward", source: str = REFERENCE,
                 saved: dict[str, str] | None = None, count: int = 20,
                 lens_off: bool = False) -> dict:
    """Click on Run tests to all results rendered, on a warm page, with `saved` ({slug: code})
    in storage as the learner's code for other problems; with `lens_off`, the shape lens on and
    off in turn (its toggle; off, the worker records nothing)."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(url + f"{slug}/")
    page.evaluate("""saved => { for (const [slug, code] of Object.entries(saved))
      localStorage.setItem(`ml-practice:v1:code:${slug}`, JSON.stringify({ code })); }""",
                  saved or {})
    page.wait_for_function(f"() => ({MARKS})().ready !== undefined", timeout=120_000)
    page.wait_for_function("() => document.querySelector('.cm-content') !== null")
    first = page.evaluate(CLICK_TO_RESULTS, source)["rendered"]  # grades the parts, too
    for _ in range(2):
        page.evaluate(CLICK_TO_RESULTS, source)
    settings = [("click_to_results", "true")]
    if lens_off:
        settings.append(("click_to_results_lens_off", "false"))
    samples = {name: [] for name, _ in settings} | {"first": [first]}
    toggle = "[data-testid=shape-lens-toggle]"
    for _ in range(count):
        for name, pressed in settings:
            if page.get_attribute(toggle, "aria-pressed") != pressed:
                page.click(toggle)
            samples[name].append(page.evaluate(CLICK_TO_RESULTS, source)["rendered"])
    context.close()
    return samples


def measure_pictures(browser, url: str, count: int = 10) -> dict:
    """Results arriving to their pictures drawn, warm: Linear backward's failed comparisons and
    the capstone's figures (its parts' reference solutions saved, as a learner's would be)."""
    capstone = ROOT / "problems" / "train-xor"
    parts = {slug: (ROOT / "problems" / slug / "solution.py").read_text()
             for slug in ("linear-forward", "linear-backward", "relu-backward", "mse-loss",
                          "sgd-momentum")}
    samples = {}
    for name, path, source in (("comparisons", "linear-backward/", WITH_PICTURES),
                               ("capstone", "train-xor/", (capstone / "solution.py").read_text())):
        context = browser.new_context(service_workers="block")
        context.add_init_script("\n".join(
            f"localStorage.setItem('ml-practice:v1:code:{slug}', "
            f"{json.dumps(json.dumps({'code': code, 'starterVersion': 'bench'}))});"
            for slug, code in parts.items()))
        page = context.new_page()
        page.goto(url + path)
        page.wait_for_function(f"() => ({MARKS})().ready !== undefined", timeout=120_000)
        page.evaluate(RUN_TO_PICTURES, source)  # the first fetches pictures.js
        samples[name] = [page.evaluate(RUN_TO_PICTURES, source) for _ in range(count)]
        context.close()
    return samples


def measure_recovery(browser, url: str, rounds: int) -> dict:
    """From the time limit firing to ready again: interrupted in place, and worker replaced."""
    loops = {
        "interrupt": "def linear_backward(g, x, W):\n    while True:\n        pass\n",
        "replace_worker": "import collections, itertools\ndef linear_backward(g, x, W):\n"
                          "    collections.deque(itertools.count(), maxlen=0)\n",
    }
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(url + "linear-backward/")
    page.wait_for_function(f"() => ({MARKS})().ready !== undefined", timeout=120_000)
    samples = {name: [] for name in loops}
    for _ in range(rounds):
        for name, source in loops.items():
            timing = page.evaluate(CLICK_TO_RESULTS, source)
            samples[name].append(timing["readyAgain"] - TIME_LIMIT_MS)
    context.close()
    return samples


def measure_bytes(browser, url: str, site: Path) -> dict:
    """Raw and gzip bytes: our files a problem page loads, all our files, and Pyodide's."""
    def sizes(paths):
        paths = sorted({p for p in paths if p.is_file()})
        raw = sum(p.stat().st_size for p in paths)
        packed = sum(len(gzip.compress(p.read_bytes(), 9)) for p in paths)
        return {"raw": raw, "gzip": packed, "files": len(paths)}

    context = browser.new_context(service_workers="block")
    loaded = []
    context.on("requestfinished", lambda request: loaded.append(request.url))
    page = context.new_page()
    page.goto(url + "linear-backward/")
    page.wait_for_function("() => document.querySelector('[data-state=ready]') !== null",
                           timeout=120_000)
    context.close()
    python = {site / PYODIDE_PATH, site / "static" / "python"}

    def ours(path: Path) -> bool:
        return python.isdisjoint(path.parents)

    paths = []
    for address in loaded:
        path = site / address.removeprefix(url).split("?")[0]
        paths.append(path / "index.html" if path.is_dir() else path)
    return {
        "own_page_loads": sizes(filter(ours, paths)),
        "own_all": sizes(filter(ours, [*site.glob("*/index.html"), site / "index.html",
                                       *(site / "static").rglob("*")])),
        "python_on_first_import": sizes((site / "static" / "python" / "rest").glob("*.zip")),
    }


def measure_build_times(counts) -> dict:
    """Wall time of a whole build for generated problems (copies of Linear forward), in series
    of twelve like the site's own: each page lists the earlier problems of its series."""
    times = {}
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            problems = Path(folder) / "problems"
            for index in range(count):
                target = problems / f"generated-{index:04d}"
                shutil.copytree(ROOT / "problems" / "linear-forward", target)
                statement = target / "problem.md"
                statement.write_text(statement.read_text().replace(
                    "title: Linear forward", f"title: Linear forward {index}").replace(
                    "y = xW + b", f"y = xW + b + {index}").replace(
                    "series: Build a neural network from scratch", f"series: Series {index // 12}"
                ).replace("position: 1", f"position: {index % 12}"))
            started = time.perf_counter()
            build(Path(folder) / "dist", problems_dir=problems)
            times[str(count)] = time.perf_counter() - started
    return times


def describe(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.0f} ms  ({min(samples):.0f}–{max(samples):.0f})"


def print_table(figures: dict) -> None:
    """Print the rows of what was measured (all of it, or what --only picked)."""
    print(f"\n{'measure':48} {'median':>11}  (range)")
    if "load" in figures:
        print_load_table(figures["load"])
    if "navigation" in figures:
        rows = [("next problem: click to ready, in place", figures["navigation"]["next_problem"]),
                ("  the same, link pointed at 300 ms before", figures["navigation"]["next_problem_pointed"])]
        for label, samples in rows:
            print(f"{label:48} {describe(samples)}")
    if "load_own_profile" in figures:
        print_own_profile_table(figures["load_own_profile"])
    if set(MEASURES) <= figures.keys():
        print_full_table(figures)


def print_own_profile_table(own: dict) -> None:
    """Visits after the first of a profile on disk: floor, page, and page with its service worker."""
    labels = {"floor": "floor:", "page": "page: ", "page_sw": "page: "}
    for number in range(2, VISITS_OF_A_PROFILE + 1):
        samples = {kind: [visits[number - 1] for visits in own[kind]] for kind in labels}
        for kind, label in labels.items():
            sw = ", SW on" if kind == "page_sw" else ""
            print(f"{f'{label} visit {number} to ready, own profile{sw}':48} "
                  f"{describe(samples[kind])}")
        for kind in ("page", "page_sw"):
            sw = ", SW on" if kind == "page_sw" else ""
            ratio = statistics.median(samples[kind]) / statistics.median(samples["floor"])
            print(f"{f'ratio page/floor, visit {number}, own profile{sw}':48} {ratio:8.2f}x")


def print_load_table(load: dict) -> None:
    for kind in ("cold", "warm"):
        for name in ("floor", "page"):
            label = f"{name}:{' ' if name == 'page' else ''} navigation to ready, {kind}"
            print(f"{label:48} {describe(load[f'{name}_{kind}'])}")


def print_full_table(figures: dict) -> None:
    load = figures["load"]
    rows = [
        ("page:  navigation to editor accepting input, cold", load["editor_cold"]),
        ("page:  navigation to editor accepting input, warm", load["editor_warm"]),
        ("  code area editable (its own mark), cold", load["editable_cold"]),
        ("  code area editable (its own mark), warm", load["editable_warm"]),
        ("click Run tests to 6 results rendered, warm", figures["run"]["click_to_results"]),
        ("  the same, shape lens off", figures["run"]["click_to_results_lens_off"]),
        ("capstone: click to results, first run", figures["capstone"]["first"]),
        ("capstone: click to results, warm", figures["capstone"]["click_to_results"]),
        ("time limit to ready again, interrupt", figures["recovery"]["interrupt"]),
        ("time limit to ready again, worker replaced", figures["recovery"]["replace_worker"]),
        ("results to pictures drawn, 5 comparisons", figures["pictures"]["comparisons"]),
        ("results to figures drawn, capstone", figures["pictures"]["capstone"]),
    ]
    for label, samples in rows:
        print(f"{label:48} {describe(samples)}")
    lens = (statistics.median(figures["run"]["click_to_results"])
            - statistics.median(figures["run"]["click_to_results_lens_off"]))
    print(f"{'shape lens overhead on click → results':48} {lens:8.1f} ms  (difference of medians)")
    for kind in ("cold", "warm"):
        ratio = statistics.median(load[f"page_{kind}"]) / statistics.median(load[f"floor_{kind}"])
        print(f"{'ratio page/floor, ' + kind:48} {ratio:8.2f}x")
    plain = figures["load_plain_cache"]
    for name in ("floor", "page"):
        for kind in ("cold", "warm"):
            label = f"{name}: navigation to ready, {kind}, max-age=600"
            print(f"{label:48} {describe(plain[f'{name}_{kind}'])}")
    for kind in ("cold", "warm"):
        ratio = statistics.median(plain[f"page_{kind}"]) / statistics.median(plain[f"floor_{kind}"])
        print(f"{'ratio page/floor, ' + kind + ', max-age=600':48} {ratio:8.2f}x")
    kilobytes = {name: [sum(size for _, size in sent) / 1024 for sent in load[f"{name}_sent"]]
                 for name in ("floor", "page")}
    for name in ("floor", "page"):
        label = f"{name}: bytes transferred, cold visit (gzip)"
        print(f"{label:48} {statistics.median(kilobytes[name]):8.0f} KB  "
              f"({len(load[f'{name}_sent'][0])} files)")
    ratio = statistics.median(kilobytes["page"]) / statistics.median(kilobytes["floor"])
    print(f"{'ratio page/floor, bytes transferred':48} {ratio:8.2f}x")
    throttled = figures["throttled"]
    print(f"{'floor: navigation to ready, cold, 20 Mbit/s':48} {describe(throttled['floor'])}")
    print(f"{'page:  navigation to ready, cold, 20 Mbit/s':48} {describe(throttled['page'])}")
    ratio = statistics.median(throttled["page"]) / statistics.median(throttled["floor"])
    print(f"{'ratio page/floor, cold, 20 Mbit/s':48} {ratio:8.2f}x")
    for name, size in figures["bytes"].items():
        label = f"bytes, {name} ({size['files']} files)"
        print(f"{label:48} {size['raw'] / 1024:8.0f} KB raw, {size['gzip'] / 1024:.0f} KB gzip")
    for count, seconds in figures.get("build_s", {}).items():
        print(f"{'build.py, ' + count + ' problems':48} {seconds:8.1f} s")


def print_engines(figures: dict) -> None:
    """Navigation to ready in each engine, page beside that engine's own floor."""
    print(f"\n{'navigation to ready':26} {'floor median (range)':24} {'page median (range)':24}"
          f" {'page/floor':>10}")
    for engine, measured in figures["engines"].items():
        load = measured["load"]
        for kind in ("cold", "warm"):
            floor, page = load[f"floor_{kind}"], load[f"page_{kind}"]
            ratio = statistics.median(page) / statistics.median(floor)
            print(f"{engine + ', ' + kind:26} {describe(floor):>24} {describe(page):>24}"
                  f" {ratio:9.2f}x")
    for engine, reason in figures["skipped"].items():
        print(f"{engine + ': left out':26} {reason}")


def print_transfers(load: dict) -> None:
    """What the first cold visit of floor and page transferred, file by file (gzip)."""
    for name in ("floor", "page"):
        print(f"\n{name}: the first cold visit's transfers (gzip)")
        for path, size in sorted(load[f"{name}_sent"][0], key=lambda sent: -sent[1]):
            print(f"  {size / 1024:8.0f} KB  {path}")


if __name__ == "__main__":
    sys.exit(main())
