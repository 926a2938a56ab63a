"""The build as a whole: a broken problem is refused with one line each, dist/ left untouched.

Each case breaks one thing that a stage checks (problems.py loads, behaviour.py runs, render.py
renders math) and goes through pipeline.build, which must write nothing.
"""

import shutil
from pathlib import Path

import pytest

from conftest import sha256
from sitebuild import BuildError
from sitebuild.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


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
        "{p}/tests.py:22: syntax error: '(' was never closed",
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
        "{p}/problem.md:50: example: not valid Python: '[' was never closed",
    ),
    "example_missing_an_input": (
        {"problem.md": lambda s: s.replace("x = [[1, 2]]\n", "")},
        "{p}/problem.md:49: example: inputs must be grad_out, x, W; got W, grad_out",
    ),
    "hints_text_outside_the_list": (
        {"problem.md": lambda s: s + "\nA closing remark with $\\frac{1$ broken math.\n"},
        "{p}/problem.md:109: text in the '## Hints' section outside its list would not be shown",
    ),
    "example_int_input_not_whole_numbers": (
        {"problem.md": lambda s: s.replace("x = [[1, 2]]", "x: int = [[1.5, 2]]")},
        "{p}/problem.md:50: example: x: the value must be a list of whole numbers",
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
    with pytest.raises(BuildError) as raised:
        build(previous_dist, problems_dir=problems)
    lines = str(raised.value).splitlines()
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected):
        assert line.startswith(start.format(p="problems/broken")), line
    assert tree_digest(previous_dist) == before
    assert [p.name for p in previous_dist.parent.iterdir()] == ["dist"]
