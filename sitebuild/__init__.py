"""The build of the practice site, one module per stage (`build.py` is its command line).

    problems.py     load: read and statically check every problem folder
    behaviour.py    check behaviour: the harness grades solution, starter and known mistakes
    render.py       render: Markdown and KaTeX to HTML; index.html through Jinja2
    assets.py       write: esbuild bundles of static/, KaTeX's CSS and fonts
    runtime.py      write: Pyodide, the NumPy wheel derived from its own, bytecode compiled by Pyodide
                    under Node, the archive of modules fetched on first import
    host_files.py   write: _headers, .nojekyll, 404.html, the service worker
    pipeline.py     the order of it all: gather, then write, then swap in for dist/
    serve.py        the development server, with live reload
    environment.py  .venv, npm packages, Chromium
    scaffold.py     a new problem from problems/_template

Programs that are not this package's Python (Node scripts, the Python run inside Pyodide, the
live-reload script, the 404 page, the _headers file) are files beside the module that uses
them. Modules import Jinja2, PyYAML and markdown-it where they use them, so that build.py can
import this package under the system's python3 before .venv exists.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS_DIR = ROOT / "problems"
DIST = ROOT / "dist"
CACHE = ROOT / ".cache"
VENV = ROOT / ".venv"


class BuildError(Exception):
    """Problems that stop the build, each a `path:line: message` line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def shown(path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
