"""The page's code: the worker bundle carries the runner, which still works without docstrings."""

import subprocess
import sys
from pathlib import Path

from sitebuild.assets import runner_sources

ROOT = Path(__file__).resolve().parent.parent


def test_the_worker_carries_every_runner_module_and_they_still_work(site, tmp_path):
    # esbuild may move the worker's RUNNER_FILES into a chunk the worker imports.
    scripts = "".join(path.read_text() for path in (site / "static" / "js").rglob("*.js"))
    for path in (ROOT / "runner").glob("*.py"):
        assert f'"{path.name}":' in scripts
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
