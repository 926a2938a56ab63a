"""The build: what dist/ holds, and how a broken problem is refused without touching it."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

import build
from conftest import TEST_NAMES

ROOT = Path(__file__).resolve().parent.parent


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_problem_page_holds_statement_math_and_test_names(site):
    html = (site / "linear-backward" / "index.html").read_text()
    assert "<h1 id=\"problem-title\">Linear backward (chain rule)" in html
    for heading in ("Background", "Problem statement", "Input", "Output", "Examples",
                    "Constraints", "Notes"):
        assert f"<h2>{heading}</h2>" in html
    assert "Example 1 — the three gradients, hand-checked" in html
    assert "Example 2 — the bias gradient sums over the batch" in html
    # Math is rendered at build time: KaTeX markup with the TeX kept as MathML annotation.
    assert html.count('class="katex"') >= 10
    assert '<annotation encoding="application/x-tex">y = xW + b</annotation>' in html
    assert "\\sum_{b=1}^{B} g_{b,:}" in html
    assert "$" not in re.sub(r"<script.*?</script>", "", html, flags=re.DOTALL)
    for name in TEST_NAMES:
        assert f'data-test-name="{name}"' in html


def test_page_has_no_math_javascript_and_only_relative_urls(site):
    for page in (site / "index.html", site / "linear-backward" / "index.html"):
        html = page.read_text()
        urls = re.findall(r'(?:src|href)="([^"]*)"', html)
        assert urls, page
        assert [url for url in urls if url.startswith(("/", "http:", "https:", "//"))] == []
        assert "katex.min.js" not in html and "auto-render" not in html


def test_dist_holds_the_verified_pyodide_and_numpy(site):
    pyodide = site / build.PYODIDE_PATH
    served = {name: build.PYODIDE_MODULE if name == "pyodide.mjs" else name
              for name in build.PYODIDE_SERVED}
    for name, served_as in served.items():
        assert sha256(pyodide / served_as) == build.PYODIDE_CORE[name], name
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    assert numpy["file_name"] == "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    assert sha256(pyodide / numpy["file_name"]) == numpy["sha256"]
    # The standard library comes compiled, from static/python/ (next test).
    assert sorted(path.name for path in pyodide.iterdir()) == sorted(
        [*served.values(), numpy["file_name"]])


def pyc_header(data: bytes) -> tuple[bytes, int]:
    """The magic number and the flags of a .pyc file."""
    return data[:4], int.from_bytes(data[4:8], "little")


def test_dist_holds_bytecode_for_what_python_imports_before_a_run(site):
    worker = next((site / "static" / "js").glob("worker-*.js")).read_text()
    stdlib, bytecode = (
        site / "static" / "js" / re.search(f'{key}:"([^"]+)"', worker).group(1)
        for key in ("stdlib", "bytecode"))
    # CPython 3.12's magic number; hash-based and unchecked (flags 0b01): Python takes each
    # file as it is, whatever the date of its source in the browser's file system.
    header = ((3531).to_bytes(2, "little") + b"\r\n", 0b01)
    with (zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as upstream,
          zipfile.ZipFile(stdlib) as archive):
        names = set(archive.namelist())
        for info in upstream.infolist():
            assert archive.read(info.filename) == upstream.read(info), info.filename
        compiled = names - set(upstream.namelist())
        for module in ("json/__init__", "dataclasses", "_pyodide/_base", "asyncio/events"):
            assert f"{module}.pyc" in compiled and f"{module}.py" in names
        assert all(name.endswith(".pyc") for name in compiled)
        assert {pyc_header(archive.read(name)) for name in compiled} == {header}
        assert "ftplib.py" in names and "ftplib.pyc" not in names  # only what Python imports
    with zipfile.ZipFile(bytecode) as archive:
        names = set(archive.namelist())
        for path in ("lib/python3.12/site-packages/numpy/__pycache__/__init__.cpython-312.pyc",
                     "lib/python3.12/site-packages/numpy/random/__pycache__/__init__.cpython-312.pyc",
                     *(f"home/pyodide/runner/__pycache__/{module}.cpython-312.pyc"
                       for module in ("harness", "checks", "guard", "results"))):
            assert path in names
        assert {pyc_header(archive.read(name)) for name in names} == {header}


def test_problem_data_carries_starter_tests_and_limits(site):
    html = (site / "linear-backward" / "index.html").read_text()
    data = json.loads(re.search(r'id="problem-data">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["spec"]["function"] == "linear_backward"
    assert data["spec"]["returns"] == ["dx", "dW", "db"]
    assert len(data["spec"]["wrong"]) >= 6
    assert [example["name"] for example in data["spec"]["examples"]] == data["exampleNames"]
    assert data["testNames"] == TEST_NAMES
    assert data["starter"] == (ROOT / "problems/linear-backward/starter.py").read_text()
    assert data["timeLimitMs"] == 3000
    worker = site / "linear-backward" / data["workerPath"]
    assert f'url:"../../{build.PYODIDE_PATH}/",module:"{build.PYODIDE_MODULE}"' in worker.read_text()
    assert (worker.parent / f"../../{build.PYODIDE_PATH}/{build.PYODIDE_MODULE}").resolve().is_file()


def test_server_sends_wasm_mime_type_and_isolation_headers(site_url):
    url = f"{site_url}{build.PYODIDE_PATH}/pyodide.asm.wasm"
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] == "application/wasm"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp"


def test_a_wheel_with_the_wrong_sha256_is_refused(tmp_path):
    wheel = tmp_path / "numpy.whl"
    wheel.write_bytes(b"not numpy")
    with pytest.raises(build.BuildError, match="sha256"):
        build.verify(wheel, "0" * 64)


# A broken problem: (what to change, the start of each error line). Each starts from a copy of
# linear-backward; `{p}` is the copied folder as shown in messages.
BROKEN = {
    "invalid_yaml": (
        {"problem.md": lambda s: s.replace("title: Linear", "title: [Linear")},
        "{p}/problem.md:3: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence started on line 2)",
    ),
    "no_front_matter": (
        {"problem.md": lambda s: s.split("---\n", 2)[2]},
        "{p}/problem.md:1: expected YAML front matter between '---' lines",
    ),
    "bad_difficulty": (
        {"problem.md": lambda s: s.replace("difficulty: medium", "difficulty: hardd")},
        "{p}/problem.md:3: 'difficulty': expected one of easy, medium, hard, got 'hardd'",
    ),
    "missing_title": (
        {"problem.md": lambda s: s.replace("title: Linear backward (chain rule)\n", "")},
        "{p}/problem.md:1: missing required field 'title'",
    ),
    "unknown_field": (
        {"problem.md": lambda s: s.replace("position: 2\n", "position: 2\nlevel: 3\n")},
        "{p}/problem.md:8: unknown field 'level'",
    ),
    "time_limit_not_a_number": (
        {"problem.md": lambda s: s.replace("time_limit: 3", "time_limit: soon")},
        "{p}/problem.md:8: 'time_limit': expected a number of seconds from 0 to 60, got 'soon'",
    ),
    "missing_starter": (
        {"starter.py": None},
        "{p}/starter.py:1: missing file",
    ),
    "syntax_error_in_tests": (
        {"tests.py": lambda s: s.replace("def make_inputs(seed, batch, n_in, n_out):", "def make_inputs(")},
        "{p}/tests.py:15: syntax error: '(' was never closed",
    ),
    "function_missing_from_solution": (
        {"solution.py": lambda s: s.replace("def linear_backward", "def linear_backwards")},
        "{p}/solution.py:1: function 'linear_backward' is not defined",
    ),
    "solution_fails_its_tests": (
        {"solution.py": lambda s: s.replace("grad_out.sum(axis=0)", "grad_out.mean(axis=0)")},
        (
            "{p}/solution.py:1: fails its own test 'db sums grad_out over the batch dimension': "
            "db differs from grad_out.sum(axis=0) at 5 of 5 entries",
            "{p}/solution.py:1: fails its own example 'Example 2 — the bias gradient sums over "
            "the batch': db differs from the expected value at 2 of 2 entries",
        ),
    ),
    "starter_passes_every_test": (
        {"starter.py": lambda s: (ROOT / "problems/linear-backward/solution.py").read_text()},
        "{p}/starter.py:1: passes every hidden test: the tests must catch the starter",
    ),
    "duplicate_test_name": (
        {"tests.py": lambda s: s.replace('@hidden_test("dx matches grad_out @ W.T")',
                                         '@hidden_test("Returns three arrays with correct shapes")')},
        "{p}/tests.py:1: duplicate test name 'Returns three arrays with correct shapes'",
    ),
    "bad_latex": (
        {"problem.md": lambda s: s.replace(r"$g = \partial L/\partial y$", r"$g = \partail L$")},
        "{p}/problem.md:22: LaTeX: Undefined control sequence: \\partail at position 5: g = \\partail L",
    ),
    "wrong_solution_passes": (
        {"wrong/db_mean.py": lambda s: s.replace("grad_out.mean(axis=0)", "grad_out.sum(axis=0)")},
        "{p}/wrong/db_mean.py:1: passes every hidden test: the tests must catch this known mistake",
    ),
    "wrong_solution_without_hint": (
        {"wrong/db_mean.py": lambda s: s.split('"""\n', 1)[1]},
        "{p}/wrong/db_mean.py:1: no hint: start the file with a docstring saying, in one "
        "sentence, what the mistake is",
    ),
    "example_disagrees_with_solution": (
        {"problem.md": lambda s: s.replace("db = [4, 6]", "db = [4, 7]")},
        "{p}/solution.py:1: fails its own example 'Example 2 — the bias gradient sums over the "
        "batch': db differs from the expected value at 1 of 2 entries",
    ),
    "example_not_python": (
        {"problem.md": lambda s: s.replace("x = [[1, 2]]", "x = [[1, 2]")},
        "{p}/problem.md:51: example: not valid Python: '[' was never closed",
    ),
    "example_missing_an_input": (
        {"problem.md": lambda s: s.replace("x = [[1, 2]]\n", "")},
        "{p}/problem.md:50: example: inputs must be grad_out, x, W; got W, grad_out",
    ),
    "hints_text_outside_the_list": (
        {"problem.md": lambda s: s + "\nA closing remark with $\\frac{1$ broken math.\n"},
        "{p}/problem.md:109: text in the '## Hints' section outside its list would not be shown",
    ),
    "example_int_input_not_whole_numbers": (
        {"problem.md": lambda s: s.replace("x = [[1, 2]]", "x: int = [[1.5, 2]]")},
        "{p}/problem.md:51: example: x: the value must be a list of whole numbers",
    ),
    "example_tolerance_unreadable": (
        {"problem.md": lambda s: s.replace("# Output\ndx", "# Output (roughly)\ndx")},
        "{p}/problem.md:54: example: after '# Output' write nothing or '(to within 0.25)'",
    ),
    "placeholder_left": (
        {"problem.md": lambda s: s.replace("## Background", "## Background\n\nTODO(author): why it matters")},
        "{p}/problem.md:13: fill in: why it matters",
    ),
    "bad_slug": (
        {"..": "Broken_Problem"},
        "problems/Broken_Problem/problem.md:1: slug 'Broken_Problem': use lowercase letters, "
        "digits and '-'",
    ),
}


@pytest.fixture(scope="module")
def previous_dist(tmp_path_factory, site) -> Path:
    """A copy of a good build, standing in for the dist/ a broken build must not touch."""
    out = tmp_path_factory.mktemp("previous") / "dist"
    shutil.copytree(site, out)
    return out


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): sha256(path) for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_problem_is_refused_with_one_line_and_dist_untouched(case, tmp_path, previous_dist):
    changes, expected = BROKEN[case]
    expected = (expected,) if isinstance(expected, str) else expected
    problems = tmp_path / "problems"
    folder = problems / "broken"
    shutil.copytree(ROOT / "problems" / "linear-backward", folder)
    for name, change in changes.items():
        if name == "..":
            folder.rename(problems / change)
        elif change is None:
            (folder / name).unlink()
        else:
            (folder / name).write_text(change((folder / name).read_text()))
    before = tree_digest(previous_dist)
    with pytest.raises(build.BuildError) as raised:
        build.build(previous_dist, problems_dir=problems)
    lines = str(raised.value).splitlines()
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected):
        assert line.startswith(start.format(p="problems/broken")), line
    assert tree_digest(previous_dist) == before
    assert [p.name for p in previous_dist.parent.iterdir()] == ["dist"]


def test_the_worker_carries_every_runner_module_and_they_still_work(site, tmp_path):
    # esbuild may move the worker's RUNNER_FILES into a chunk the worker imports.
    scripts = "".join(path.read_text() for path in (site / "static" / "js").rglob("*.js"))
    for path in (ROOT / "runner").glob("*.py"):
        assert f'"{path.name}":' in scripts
    # The worker's copies lose comments and docstrings, not behaviour.
    package = tmp_path / "runner"
    package.mkdir()
    for name, source in build.runner_sources().items():
        (package / name).write_text(source)
    check = ("import sys, json; sys.path.insert(0, sys.argv[1]); from runner import harness; "
             "print(harness.run(open(sys.argv[2]).read(), open(sys.argv[3]).read(), "
             "'linear_backward').status.value)")
    problem = ROOT / "problems" / "linear-backward"
    completed = subprocess.run([sys.executable, "-c", check, str(tmp_path),
                                str(problem / "solution.py"), str(problem / "tests.py")],
                               capture_output=True, text=True, cwd=tmp_path)
    assert completed.stdout.strip() == "pass", completed.stderr


def test_a_failed_bytecode_compile_stops_the_build_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BYTECODE_PY", "raise RuntimeError('no compiler here')")
    with pytest.raises(build.BuildError) as raised:
        build.compile_bytecode(tmp_path, build.runner_sources())
    (line,) = raised.value.errors
    assert line.startswith("build.py:1: compiling Python to bytecode failed: ")
    assert "RuntimeError: no compiler here" in line
    assert not (tmp_path / "static" / "python").exists()
