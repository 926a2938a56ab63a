#!/usr/bin/env python3
"""Build the static practice site from problems/, and serve, check or test it.

    python build.py            check every problem, then write the site to dist/
    python build.py check      check every problem, print errors as `path:line: message`
    python build.py serve      build, then serve dist/ on http://127.0.0.1:8000, rebuilding
                               when a source changes
    python build.py new SLUG   start a new problem from problems/_template
    python build.py --pyodide cdn   build without Pyodide's files: pages load the pinned
                               release from its CDN, checking each file's sha256
    python build.py test       install what the tests need, then run pytest (browser tests
                               in Chromium, Firefox and WebKit; `--engine webkit` and the
                               like pick engines)
    python build.py bench      benchmark the page against bare Pyodide (tests/benchmark/)

Each command first installs what it needs (a .venv with the packages in pyproject.toml, the
npm packages, the verified NumPy wheel for Pyodide), so a fresh clone needs only Python 3.11+,
Node.js and npm. The build gathers before it writes (load_problems -> check_behaviour -> render ->
write_site, in sitebuild/pipeline.py): any error leaves the previous dist/ exactly as it was.
This file is the command line only; each stage is a module of sitebuild/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

# Standard library only, down to the stages' own imports: this runs under the system's python3
# before .venv exists, and ensure_python_packages then runs it again inside .venv.
from sitebuild import DIST, ROOT, BuildError, shown
from sitebuild.environment import (
    ensure_browsers,
    ensure_node_packages,
    ensure_python_packages,
    ensure_web_servers,
)
from sitebuild.pipeline import build, gather
from sitebuild.runtime import PYODIDE_CDN, PYODIDE_VERSION
from sitebuild.scaffold import new_problem
from sitebuild.serve import serve


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="build",
                        choices=["bench", "build", "check", "new", "serve", "test"])
    parser.add_argument("slug", nargs="?", help="for new: the new problem's folder name")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default 8000)")
    parser.add_argument("--pyodide", choices=["self", "cdn"], default="self",
                        help="self-host Pyodide in dist/ (default) or load it from its CDN")
    parser.add_argument("--pyodide-url", default=PYODIDE_CDN,
                        help=f"with --pyodide cdn: where Pyodide {PYODIDE_VERSION} is served")
    args, rest = parser.parse_known_args(argv)
    if args.command == "new":
        if not args.slug:
            parser.error("new needs a SLUG, e.g. python build.py new relu-backward")
        try:
            folder = new_problem(args.slug)
        except BuildError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"Created {shown(folder)}/; `python build.py check` lists what to fill in.")
        return 0
    # PRACTICE_ENV_READY=1: the caller vouches that .venv and node_modules are in place (the
    # tests run copies of the project that share them; npm ci would empty a shared folder).
    if not os.environ.get("PRACTICE_ENV_READY"):
        ensure_python_packages(argv, ("test",) if args.command in ("test", "bench") else ())
        ensure_node_packages()
    if args.command in ("test", "bench"):
        ensure_browsers()
        if args.command == "test":
            ensure_web_servers()
        extra = [args.slug, *rest] if args.slug else rest
        runner = ["-m", "pytest"] if args.command == "test" else ["tests/benchmark/run.py"]
        return subprocess.call([sys.executable, *runner, *extra], cwd=ROOT)
    if rest or args.slug:
        parser.error(f"unrecognized arguments: {' '.join([args.slug or '', *rest]).strip()}")
    try:
        pyodide_url = args.pyodide_url if args.pyodide == "cdn" else None
        problems = gather() if args.command == "check" else build(pyodide_url=pyodide_url)
    except BuildError as error:
        print(error, file=sys.stderr)
        if args.command != "serve" or not DIST.is_dir():
            return 1
        print("Serving the previous build; fix the errors above and it rebuilds.", file=sys.stderr)
    else:
        done = "pass their checks" if args.command == "check" else f"built into {shown(DIST)}/"
        print(f"{len(problems)} problem(s) {done}")
    if args.command == "serve":
        serve(args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
