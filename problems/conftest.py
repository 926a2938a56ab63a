"""Run a problem's hidden tests against its reference solution with plain pytest.

    pytest problems/linear-backward

Each test's argument, named after the problem's `function`, is that function from
`solution.py`; the earlier problems' reference solutions stand in for the learner's parts. The folder _template/ (what `build.py new` copies) is not collected.
"""

import functools
import importlib.util
import sys
from pathlib import Path

import yaml

from sitebuild.problems import link_series, load_problems

collect_ignore_glob = ["_template/*"]


def pytest_generate_tests(metafunc):
    folder = Path(metafunc.definition.path).parent
    problem = folder / "problem.md"
    if not problem.is_file():
        return
    meta = yaml.safe_load(problem.read_text().split("---\n", 2)[1])
    if meta["function"] in metafunc.fixturenames:
        metafunc.parametrize(meta["function"], [reference(folder, meta["function"])],
                             ids=["reference"])


def reference(folder: Path, function: str):
    """The problem's reference solution, imported from its solution.py, with the reference
    solutions of the earlier problems of its series importable as the learner's parts are."""
    for part in earlier_parts(folder):
        sys.modules[part.module] = load_module(part.module, part.folder / "solution.py")
    return getattr(load_module(f"{folder.name}_solution", folder / "solution.py"), function)


def earlier_parts(folder: Path):
    return next((p.parts for p in series_problems(folder.parent) if p.folder == folder), [])


@functools.cache
def series_problems(problems_dir: Path):
    problems, _ = load_problems(problems_dir)
    link_series(problems)
    return problems


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
