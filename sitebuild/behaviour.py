"""Stage 2, check behaviour: run each loaded problem through the harness under CPython.

Grades the reference solution, the starter and every known mistake with runner/'s harness, as
the browser would. Hands on each problem's hidden test names (problem.test_names) and the
errors of any problem whose files do not behave: a solution failing its own tests or
examples, a starter or known mistake passing every test, duplicate test names.
"""

from __future__ import annotations

import json
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitebuild.problems import Problem

CHECK_TIME_LIMIT_S = 20


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
