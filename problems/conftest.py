"""Run a problem's hidden tests against its reference solution with plain pytest.

    pytest problems/linear-backward

Each test's argument, named after the problem's `function`, is that function from
`solution.py`. The folder _template/ (what `build.py new` copies) is not collected.
"""

import importlib.util
from pathlib import Path

import yaml

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
    """The problem's reference solution, imported from its solution.py."""
    spec = importlib.util.spec_from_file_location(f"{folder.name}_solution", folder / "solution.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)
