"""The runner as the browser gets it: in the bytecode archive, not in a script, and working
without its docstrings."""

import subprocess
import sys
import zipfile
from pathlib import Path

from sitebuild.assets import runner_sources

ROOT = Path(__file__).resolve().parent.parent


def test_the_bytecode_archive_carries_every_runner_module_and_they_still_work(site, tmp_path):
    (archive,) = (site / "static" / "python").glob("bytecode-*.zip")
    with zipfile.ZipFile(archive) as bytecode:
        names = set(bytecode.namelist())
        for name, source in runner_sources().items():
            assert bytecode.read(f"home/pyodide/runner/{name}").decode() == source
    assert {f"home/pyodide/runner/{path.name}" for path in (ROOT / "runner").glob("*.py")} <= names
    scripts = "".join(path.read_text() for path in (site / "static" / "js").rglob("*.js"))
    assert "def run_tests" not in scripts  # no page or worker script carries Python
    # The worker's copies lose comments and docstrings, not behaviour.
    package = tmp_path / "runner"
    package.mkdir()
    for name, source in runner_sources().items():
        (package / name).write_text(source)
    check = ("import sys, json; sys.path.insert(0, sys.argv[1]); from runner import harness; "
             "print(harness.run(open(sys.argv[2]).read(), open(sys.argv[3]).read(), "
             "'linear_backward').status.value)")
    problem = ROOT / "problems" / "linear-backward"
    completed = subprocess.run([sys.executable, "-c", check, str(tmp_path),
                                str(problem / "solution.py"), str(problem / "tests.py")],
                               capture_output=True, text=True, cwd=tmp_path)
    assert completed.stdout.strip() == "pass", completed.stderr
