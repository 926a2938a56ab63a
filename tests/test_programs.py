"""The programs the build runs or ships that are not its own Python: each parses as its kind."""

import ast
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitebuild.host_files import HEADERS, NOT_FOUND_PAGE, read_headers_file

SITEBUILD = Path(__file__).resolve().parent.parent / "sitebuild"
# Beside sitebuild's modules: everything that is not one of them.
PROGRAMS = sorted(path.name for path in SITEBUILD.iterdir()
                  if path.is_file() and path.suffix in (".mjs", ".js", ".html", "")
                  or path.name in ("bytecode_in_pyodide.py", "lazy_modules.py"))


def test_every_program_is_checked_here():
    assert PROGRAMS == ["404.html", "_headers", "bytecode_in_pyodide.py",
                        "compile_bytecode.mjs", "katex_batch.mjs", "lazy_modules.py",
                        "live_reload.js"]


@pytest.mark.parametrize("name", [name for name in PROGRAMS if name.endswith((".mjs", ".js"))])
def test_javascript_parses(name):
    completed = subprocess.run(["node", "--check", str(SITEBUILD / name)],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("name", ["bytecode_in_pyodide.py", "lazy_modules.py"])
def test_python_run_inside_pyodide_parses(name):
    ast.parse((SITEBUILD / name).read_text(), name)


def test_headers_file_is_only_patterns_and_headers():
    lines = [line for line in HEADERS.read_text().splitlines() if line.strip()]
    rules = read_headers_file(HEADERS)
    assert len(lines) == len(rules) + sum(len(headers) for headers in rules.values())
    assert all(name and value for headers in rules.values() for name, value in headers)


def test_not_found_page_closes_what_it_opens():
    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.open = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "link", "html"):
                self.open.append(tag)

        def handle_endtag(self, tag):
            if tag != "html":
                assert self.open.pop() == tag

    parser = Tags()
    parser.feed(NOT_FOUND_PAGE.read_text())
    parser.close()
    assert parser.open == []
