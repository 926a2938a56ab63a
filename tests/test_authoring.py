"""Authoring: the scaffold, `check` over every problem, plain pytest, and the watching server."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import wait_ready
from sitebuild import BuildError
from sitebuild.pipeline import gather
from sitebuild.runtime import fetch_wheel, numpy_wheel_pin
from sitebuild.scaffold import new_problem

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_problem_passes_check_and_meets_the_bar():
    problems = gather()
    assert {"linear-forward", "linear-backward", "train-xor"} <= {p.slug for p in problems}
    for problem in problems:
        assert 5 <= len(problem.test_names) <= 8, problem.slug
        assert len(problem.wrong) >= 3, problem.slug
        assert len(problem.examples) >= 2, problem.slug
        assert len(problem.hints_html) >= 2, problem.slug
        for section in ("Background", "Problem statement", "Input", "Output", "Examples",
                        "Constraints"):
            assert f"## {section}\n" in problem.markdown, (problem.slug, section)


def test_new_problem_fails_check_with_what_to_fill_in(tmp_path):
    folder = new_problem("relu-backward", problems_dir=tmp_path / "problems")
    assert sorted(path.name for path in folder.iterdir()) == [
        "problem.md", "solution.py", "starter.py", "tests.py", "wrong"]
    with pytest.raises(BuildError) as raised:
        gather(tmp_path / "problems")
    assert raised.value.errors == [
        "problems/relu-backward/problem.md:2: fill in: the title learners see",
        "problems/relu-backward/problem.md:13: fill in: say what `solve(x)` returns, with math "
        "where it helps, such as $y = 2x$.",
        "problems/relu-backward/problem.md:28: fill in: a first hint, or delete this section.",
        "problems/relu-backward/starter.py:5: fill in: say what the arguments are and what to "
        "return.",
        "problems/relu-backward/solution.py:5: fill in: write the reference solution",
        "problems/relu-backward/tests.py:1: fill in: test what the statement asks, under names "
        "learners will see.",
        "problems/relu-backward/wrong/returns_input.py:1: fill in: one sentence a learner who "
        "made this mistake should read.",
    ]


def test_new_refuses_a_bad_or_taken_slug(tmp_path):
    with pytest.raises(BuildError, match="a slug is lowercase letters"):
        new_problem("ReLU backward", problems_dir=tmp_path)
    new_problem("relu", problems_dir=tmp_path)
    with pytest.raises(BuildError, match="already exists"):
        new_problem("relu", problems_dir=tmp_path)


def test_check_reports_the_errors_of_every_problem_at_once(tmp_path):
    problems = tmp_path / "problems"
    for slug, old, new in (("one", "difficulty: medium", "difficulty: hardd"),
                           ("two", "grad_out.sum(axis=0)", "grad_out.mean(axis=0)")):
        shutil.copytree(ROOT / "problems" / "linear-backward", problems / slug)
        for name in ("problem.md", "solution.py"):
            path = problems / slug / name
            path.write_text(path.read_text().replace(old, new))
    with pytest.raises(BuildError) as raised:
        gather(problems)
    assert [error.split(":")[0] for error in raised.value.errors] == [
        "problems/one/problem.md", "problems/two/solution.py", "problems/two/solution.py"]


def test_check_command_prints_one_line_per_error_and_exits_non_zero(project_copy):
    path = project_copy / "problems" / "linear-backward" / "problem.md"
    path.write_text(path.read_text().replace("difficulty: medium", "difficulty: hardd"))
    completed = subprocess.run([sys.executable, "build.py", "check"], cwd=project_copy,
                               capture_output=True, text=True, env=SHARED_ENVIRONMENT)
    assert completed.returncode == 1
    assert completed.stderr == ("problems/linear-backward/problem.md:3: 'difficulty': expected "
                                "one of easy, medium, hard, got 'hardd'\n")


def test_pytest_runs_a_problems_hidden_tests_against_its_reference():
    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "problems/linear-backward"],
                               cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout
    assert "6 passed" in completed.stdout


# The copies share this project's .venv and node_modules, which must not be set up again.
SHARED_ENVIRONMENT = {**os.environ, "PRACTICE_ENV_READY": "1"}


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The project's sources in a temporary folder, sharing the installed environment."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("build.py", "index.html", "package.json", "package-lock.json", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("problems", "runner", "sitebuild", "static"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    fetch_wheel(*numpy_wheel_pin())  # so that .cache exists to be shared
    for name in ("node_modules", ".venv", ".cache"):
        (copy / name).symlink_to(ROOT / name)
    return copy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def test_serve_rebuilds_on_change_and_reloads_or_reports_in_the_page(project_copy, fresh):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port)], cwd=project_copy,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**SHARED_ENVIRONMENT, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: "Linear backward" in fetch(url + "linear-backward/") or server.poll(),
                 what="the server")
        assert server.poll() is None, server.communicate()[0]
        page = fresh(url)
        statement = project_copy / "problems" / "linear-backward" / "problem.md"
        text = statement.read_text()

        statement.write_text(text.replace("## Background", "## Background\n\nEdited while served."))
        page.wait_for_selector("text=Edited while served.", timeout=60_000)

        statement.write_text(text.replace("difficulty: medium", "difficulty: hardd"))
        overlay = page.wait_for_selector("#live-build-error", timeout=60_000)
        assert "'difficulty': expected one of easy, medium, hard, got 'hardd'" in overlay.inner_text()
        assert page.is_visible("text=Edited while served.")
        assert server.poll() is None

        statement.write_text(text)
        wait_for(lambda: "Edited while served." not in fetch(url + "linear-backward/"),
                 what="the fixed build")
        # Let the reloaded page finish loading before the server goes: a page whose worker is
        # cut off mid-download can leave Chromium unable to close its context.
        page.wait_for_selector("text=Edited while served.", state="detached", timeout=60_000)
        wait_ready(page)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "build failed; dist/ unchanged" in output
    assert "problems/linear-backward/problem.md:3: 'difficulty'" in output
