"""Stage 4c, write the files hosts and browsers read beside the pages.

_headers (cross-origin isolation and caching, for Netlify and Cloudflare Pages; the file
beside this module), .nojekyll and 404.html (also beside it), and last sw.js, the service
worker with the list of every file the site holds. Hands on a complete site folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from sitebuild import ROOT

# For hosts that read _headers: cross-origin isolation, so runaway Python can be interrupted
# instead of its worker replaced, and year-long caching of files whose names change with them.
HEADERS = Path(__file__).with_name("_headers")
# Served by hosts for any missing path, at any depth: so no assets, only a way back.
NOT_FOUND_PAGE = Path(__file__).with_name("404.html")


def write_host_files(out: Path) -> None:
    """Files static hosts read: _headers (Netlify, Cloudflare Pages), .nojekyll, 404.html."""
    shutil.copyfile(HEADERS, out / "_headers")
    (out / ".nojekyll").write_text("")
    shutil.copyfile(NOT_FOUND_PAGE, out / "404.html")


def write_service_worker(out: Path, pyodide_url: str | None) -> None:
    """Write sw.js: the site's files to precache for offline use, named by this build."""
    files = sorted(path.relative_to(out).as_posix() for path in out.rglob("*")
                   if path.is_file() and path.name not in ("_headers", ".nojekyll"))
    version = hashlib.sha256()
    for name in files:
        version.update(name.encode() + hashlib.sha256((out / name).read_bytes()).digest())
    urls = ["./" if name == "index.html" else name.removesuffix("index.html") for name in files]
    header = (f"const VERSION = {json.dumps(version.hexdigest()[:16])};\n"
              f"const PRECACHE = {json.dumps(urls)};\n"
              f"const RUNTIME_CACHED = {json.dumps([pyodide_url] if pyodide_url else [])};\n")
    (out / "sw.js").write_text(header + (ROOT / "static" / "sw.js").read_text())


def read_headers_file(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Parse a Netlify-style _headers file: a path pattern, then indented `Name: value` lines."""
    rules: dict[str, list[tuple[str, str]]] = {}
    pattern = None
    for line in path.read_text().splitlines() if path.is_file() else []:
        if line.startswith("/"):
            pattern = line.strip()
            rules[pattern] = []
        elif line.strip() and pattern is not None:
            name, _, value = line.strip().partition(":")
            rules[pattern].append((name.strip(), value.strip()))
    return rules
