"""Run a learner's source against a problem's hidden tests and return one `Results`.

Learner mistakes (syntax errors, exceptions, wrong answers, runaway code) become results; only a
bug in the tests or the harness itself escapes, and only when `strict` is set.

The host enforces the time limit: the page sets Pyodide's interrupt buffer, CPython hosts use
`time_limit` below. Either way Python sees a KeyboardInterrupt, and `interrupted()` tells the
harness whether it came from the host's clock or from the learner's own `raise`. The
interrupt is raised only inside the stretches that catch it (`_interruptible`: loading the
learner's module, one test or example); one that arrives while the harness itself runs (between
two tests, finding a hint) is held, and the harness stops at its next step, asking
`interrupted()`, instead of failing in its own code.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import importlib.abc
import importlib.util
import io
import json
import linecache
import os
import signal
import sys
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from runner import figures
from runner.checks import (
    Call,
    CallLog,
    Failure,
    as_numeric_array,
    call,
    expect_close,
    same_value,
    unpack,
)
from runner import checks, guard, lens, results
from runner.guard import learner_code
from runner.lens import LensPlan
from runner.results import (
    Comparison,
    LearnerError,
    PartResult,
    Results,
    Status,
    TestResult,
    overall_status,
)

LEARNER_FILENAME = "your_code.py"
LEARNER_MODULE = "solution"
PART_FILENAME_PREFIX = "your_parts/"
OUTPUT_LIMIT = 20_000
TESTS_FILENAME = "hidden_tests.py"

EventSink = Callable[[dict], None]
_asarray, _float64, _array2string = np.asarray, np.float64, np.array2string


class HarnessError(Exception):
    """The hidden tests themselves are broken (not the learner's fault)."""


@dataclass
class WrongSolution:
    """A known mistake: a wrong solution and the hint for a learner whose answer matches it."""

    name: str
    hint: str
    source: str


@dataclass
class Example:
    """A statement's example: named inputs, and the outputs it states (all or some).

    Values are literals: numbers stay numbers, lists become float64 arrays, dicts hold such
    values. `kinds` marks inputs written otherwise: "int" (`labels: int = [0, 2]`, an integer
    array) and "lambda" (the value is a lambda's source, evaluated with `np` in scope). `atol`,
    when the example gives one, is the tolerance of every stated output.
    """

    name: str
    inputs: list[tuple[str, Any]]
    outputs: list[tuple[str, Any]]
    kinds: dict[str, str] = field(default_factory=dict)
    atol: float | None = None


@dataclass
class Part:
    """An earlier problem of the series, whose solution the learner may import as `module`."""

    module: str
    slug: str
    title: str
    function: str
    tests: str = ""  # the page leaves it out: the worker fetches it (run_json's part_tests)
    returns: list[str] = field(default_factory=list)


@dataclass
class ProblemSpec:
    """What the harness needs of a problem; `returns` names the values of a returned tuple."""

    function: str
    tests: str
    returns: list[str] = field(default_factory=list)
    wrong: list[WrongSolution] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> "ProblemSpec":
        data = json.loads(text)
        return cls(
            data["function"],
            data["tests"],
            data.get("returns", []),
            [WrongSolution(**wrong) for wrong in data.get("wrong", [])],
            [Example(**example) for example in data.get("examples", [])],
            [Part(**part) for part in data.get("parts", [])],
        )


def collect_tests(tests_source: str, filename: str = TESTS_FILENAME) -> list[Callable]:
    """Execute a problem's test module and return its hidden tests in definition order."""
    namespace: dict = {"__name__": "hidden_tests", "__file__": filename}
    exec(compile(tests_source, filename, "exec"), namespace)
    tests = [
        value
        for name, value in namespace.items()
        if name.startswith("test_") and callable(value) and hasattr(value, "hidden_test_name")
    ]
    if not tests:
        raise HarnessError(f"{filename} defines no test_* function marked with @hidden_test")
    return tests


class Grader:
    """A problem prepared once (tests collected, known mistakes compiled), then run many times."""

    def __init__(self, spec: ProblemSpec):
        self.spec = spec
        self.tests = collect_tests(spec.tests)
        self.mistakes = [
            (wrong.hint, _module_function(wrong.source, f"wrong/{wrong.name}", spec.function))
            for wrong in spec.wrong
        ]
        self.parts = LearnerParts(spec.parts)
        namespace = self.tests[0].__globals__  # tests.py's, where example figures are defined too
        self.example_figures = [value for value in namespace.values()
                                if callable(value) and getattr(value, "example_figure", False)]

    def run_tests(self, source: str, **options) -> Results:
        """Grade `source` against the hidden tests."""
        checks = [(test.hidden_test_name, test) for test in self.tests]
        return self._run("tests", source, checks, **options)

    def run_examples(self, source: str, **options) -> Results:
        """Run `source` on the statement's examples, showing inputs, expected and actual values."""
        checks = [(example.name,
                   _ExampleCheck(example, self.spec.returns, self.example_figures))
                  for example in self.spec.examples]
        return self._run("examples", source, checks, **options)

    def run_json(self, kind: str, source: str, post_event, interrupted, parts="{}",
                 lens=True, part_tests="{}") -> str:
        """Entry point for the Web Worker: events and results cross to JavaScript as JSON.

        `parts` is a JSON object {module: source} of the learner's code for earlier problems,
        `part_tests` {module: tests.py} the hidden tests of those the page's spec left out;
        `lens` whether to record the shape lens.
        """
        for part in self.spec.parts:
            part.tests = part.tests or json.loads(part_tests).get(part.module, "")
        # Pyodide turns the page's interrupt into SIGINT; learner code may have replaced the
        # handler in an earlier run.
        signal.signal(signal.SIGINT, _on_interrupt)
        run = self.run_tests if kind == "tests" else self.run_examples
        results = run(
            source,
            parts=json.loads(parts),
            on_event=lambda event: post_event(json.dumps(event)),
            interrupted=lambda: bool(interrupted()),
            lens=bool(lens),
        )
        return results.to_json()

    def _run(self, kind, source, checks, *, parts=None, on_event=None,
             interrupted=lambda: False, strict=False, lens=False) -> Results:
        emit = on_event or (lambda event: None)
        output = BoundedOutput(OUTPUT_LIMIT)
        session = _Session(checks, output, emit, interrupted, strict, self._hint)
        with self.parts.importable(parts or {}) as imported:
            with output.captured():
                learner_function, error, load_status, code = _load_learner(
                    source, self.spec.function, interrupted
                )
            if error is not None:
                results = session.not_run(load_status, _load_message(error, load_status), error)
            else:
                if lens:
                    session.lens = LensPlan(kind, code, source, self.spec.function,
                                            self.spec.returns)
                results = session.all(learner_function)
            with output.captured():
                results.parts = self.parts.judge(imported, interrupted)
        results.kind = kind
        results.output, results.output_truncated = output.text(), output.truncated
        return results

    def _hint(self, calls: list[Call], failure: Failure | None) -> str:
        """The hint of the first known mistake that gives the learner's answer, if any."""
        if not calls:
            return ""
        last = calls[-1]
        for hint, mistake in self.mistakes:
            if failure is not None and failure.changed_input is not None:
                found = _changes_input(mistake, last, failure.changed_input)
            else:
                found = self._matches(mistake, last, failure.value if failure else None)
            if found:
                return hint
        return ""

    def _matches(self, mistake: Callable, learner: Call, value: str | None) -> bool:
        try:
            returned = mistake(*copy.deepcopy(learner.args))
        except Exception as error:  # noqa: BLE001 - a mistake may fail as the learner's did
            raised = learner.raised
            return raised is not None and type(raised) is type(error) and str(raised) == str(error)
        if learner.raised is not None:
            return False
        if value in self.spec.returns:
            index = self.spec.returns.index(value)
            if _has_item(learner.returned, index) and _has_item(returned, index):
                return same_value(learner.returned[index], returned[index])
        return same_value(learner.returned, returned)


class PartMissing(ModuleNotFoundError):
    """The learner imported their code for an earlier problem that they have not written."""


class LearnerParts(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The learner's code for earlier problems of the series, importable during a run.

    While a run goes on, `import relu_backward` executes the learner's own code for Relu
    backward (saved by the page) as the module `relu_backward`; afterwards each part the run
    imported is graded against its own problem's hidden tests, so that a broken part is named
    as such rather than taken for a mistake in the code that uses it. Verdicts are kept per
    set of sources, so an unchanged part is graded once per worker.
    """

    def __init__(self, parts: list[Part]):
        self.parts = parts
        self.by_module = {part.module: part for part in parts}
        self.sources: dict[str, str] = {}
        self.imported: list[str] | None = None
        self._graders: dict[str, Grader] = {}
        self._verdicts: dict[tuple, PartResult] = {}

    @contextlib.contextmanager
    def importable(self, sources: dict) -> Iterator[list[str]]:
        """Let the parts in `sources` ({module: source}) be imported; yield the names imported."""
        imported: list[str] = []
        if not self.by_module:
            yield imported
            return
        self.sources = {name: text for name, text in sources.items()
                        if name in self.by_module and isinstance(text, str)}
        self.imported = imported
        # Modules of these names imported before (by the host, say) must not stand in for the
        # learner's code during the run; they are put back after it.
        others = {name: sys.modules.pop(name) for name in self.by_module if name in sys.modules}
        sys.meta_path.insert(0, self)
        try:
            yield imported
        finally:
            with contextlib.suppress(ValueError):  # learner code may have emptied meta_path
                sys.meta_path.remove(self)
            for name in self.by_module:
                sys.modules.pop(name, None)
            sys.modules.update(others)
            self.imported = None

    def find_spec(self, name, path=None, target=None):
        if self.imported is None or name not in self.by_module:
            return None
        return importlib.util.spec_from_loader(name, self, origin=f"{PART_FILENAME_PREFIX}{name}.py")

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        name = module.__name__
        if name not in self.imported:
            self.imported.append(name)
        source = self.sources.get(name)
        if source is None:
            title = self.by_module[name].title
            raise PartMissing(f"`{name}` is your code for \u201c{title}\u201d, which you have not "
                              f"written yet: solve that problem first.", name=name)
        filename = f"{PART_FILENAME_PREFIX}{name}.py"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        module.__file__ = filename
        exec(compile(source, filename, "exec"), module.__dict__)

    def judge(self, imported: list[str], interrupted: Callable[[], bool]) -> list[PartResult]:
        """Grade each imported part against its own problem's tests, while time remains."""
        verdicts = []
        try:
            for name in imported:
                if interrupted():
                    break
                key = (name, tuple(sorted(self.sources.items())))
                part = self.by_module[name]
                verdict = self._verdicts.get(key) or self._judge(part, interrupted)
                if verdict.status != Status.TIMEOUT and part.tests:  # a verdict, to keep
                    self._verdicts[key] = verdict
                verdicts.append(verdict)
        except KeyboardInterrupt:  # the time limit, between two tests of a part
            pass
        return verdicts

    def _judge(self, part: Part, interrupted) -> PartResult:
        verdict = functools.partial(PartResult, part.module, part.slug, part.title)
        source = self.sources.get(part.module)
        if source is None:
            return verdict(Status.ERROR, 0, 0, f"You have not written {part.title} yet.",
                           missing=True)
        if not part.tests:
            return verdict(Status.ERROR, 0, 0, f"Your `{part.module}` could not be checked: "
                           f"{part.title}'s tests did not load.")
        grader = self._graders.get(part.module)
        if grader is None:
            earlier = self.parts[: self.parts.index(part)]
            grader = Grader(ProblemSpec(part.function, part.tests, part.returns, parts=earlier))
            self._graders[part.module] = grader
        results = grader.run_tests(source, parts=self.sources, interrupted=interrupted)
        passed = sum(test.status is Status.PASS for test in results.tests)
        total = len(results.tests)
        if results.status is Status.PASS:
            message = f"Your `{part.module}` passes {part.title}'s tests."
        elif results.status is Status.TIMEOUT:
            message = f"Your `{part.module}` could not be checked: the time limit ran out."
        elif results.error is not None:
            message = (f"Your code for {part.title} does not run ({_error_message(results.error)}): "
                       f"fix it there first.")
        else:
            message = (f"Your `{part.module}` does not pass {part.title}'s tests ({passed} of "
                       f"{total} pass): fix it there first.")
        return verdict(results.status, passed, total, message)


def run(source: str, tests_source: str, function: str, **options) -> Results:
    """Grade `source`, whose `function` the hidden tests in `tests_source` call."""
    return Grader(ProblemSpec(function, tests_source)).run_tests(source, **options)


def _module_function(source: str, filename: str, function: str) -> Callable:
    namespace = {"__name__": filename}
    exec(compile(source, filename, "exec"), namespace)
    if not callable(namespace.get(function)):
        raise HarnessError(f"{filename} does not define {function}()")
    return namespace[function]


def _changes_input(mistake: Callable, learner: Call, position: int) -> bool:
    """Whether a known mistake, too, changes the argument at `position` in place."""
    given = copy.deepcopy(learner.args)
    try:
        mistake(*given)
    except Exception:  # noqa: BLE001 - a mistake that fails here is not the learner's
        return False
    return checks.changed(learner.args[position], given[position]) is not None


def _has_item(value: Any, index: int) -> bool:
    return isinstance(value, (tuple, list)) and len(value) > index


class _ExampleCheck:
    """Calls the learner's function on an example's inputs and compares the stated outputs."""

    def __init__(self, example: Example, returns: list[str], draw: list[Callable] = ()):
        self.example, self.returns, self.draw = example, returns, draw
        self.comparison = Comparison(
            {name: _input_text(value, example.kinds.get(name)) for name, value in example.inputs},
            {name: _value_text(value) for name, value in example.outputs},
        )

    def __call__(self, learner_function: Callable) -> None:
        kinds = self.example.kinds
        args = [_input_value(value, kinds.get(name)) for name, value in self.example.inputs]
        returned = call(learner_function, *args)
        if self.returns:
            values = dict(zip(self.returns, _returned_tuple(returned, self.returns)))
        else:
            values = {self.example.outputs[0][0]: returned}
        values = {name: _output_value(name, values[name]) for name, _ in self.example.outputs}
        for name, value in values.items():
            self.comparison.actual[name] = _value_text(value)
        self._draw(dict(zip((name for name, _ in self.example.inputs), args)), returned)
        tolerance = {"atol": self.example.atol, "rtol": 0.0} if self.example.atol else {}
        for name, expected in self.example.outputs:
            _expect_same(name, values[name], expected, tolerance)

    def _draw(self, inputs: dict, returned: Any) -> None:
        """Call the problem's example figures with every value by name (all returned ones)."""
        if not self.draw:
            return
        actual = dict(zip(self.returns, returned)) if self.returns else {
            self.example.outputs[0][0]: returned}
        expected = {name: value if isinstance(value, dict) else _asarray(value, dtype=_float64)
                    for name, value in self.example.outputs}
        values = figures.ExampleValues(self.example.name, inputs, expected, actual)
        for draw in self.draw:
            draw(values)


def _returned_tuple(value: Any, names: list[str]) -> list:
    """The values of a returned tuple, checked for its length (unpack, for any kind of value)."""
    if isinstance(value, (tuple, list)) and len(value) == len(names):
        return list(value)
    unpack(value, names)  # raises the Failure that says what came back instead
    return list(value)


def _input_value(value: Any, kind: str | None) -> Any:
    """An example's literal as the function receives it (see `Example`)."""
    if kind == "lambda":
        return eval(value, {"np": np})  # noqa: S307 - the author's example, not learner code
    if kind == "int":
        return _asarray(value, dtype=np.int64)
    if isinstance(value, dict):
        return {key: _input_value(item, None) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return _asarray(value, dtype=_float64)
    return value


def _output_value(name: str, value: Any) -> Any:
    """A returned value as arrays, or a Failure that says why it cannot be one."""
    if isinstance(value, dict):
        return {key: _output_value(f"{name}[{key!r}]", item) for key, item in value.items()}
    return as_numeric_array(name, value)


def _expect_same(name: str, actual: Any, expected: Any, tolerance: dict) -> None:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise Failure(f"{name} should be a dict with keys {sorted(expected)}.", name)
        if set(actual) != set(expected):
            raise Failure(
                f"{name} has keys {sorted(actual, key=str)}; expected {sorted(expected)}.", name
            )
        for key, item in expected.items():
            _expect_same(f"{name}[{key!r}]", actual[key], item, tolerance)
        return
    expect_close(name, actual, _asarray(expected, dtype=_float64),
                 reference="the expected value", **tolerance)


def _input_text(value: Any, kind: str | None) -> str:
    return value if kind == "lambda" else _value_text(value)


def _value_text(value: Any) -> str:
    """Format an example's value the same way whether it came as a literal or from NumPy."""
    if isinstance(value, dict):
        items = ", ".join(f"{key!r}: {_value_text(item)}" for key, item in value.items())
        return "{" + items + "}"
    array = _asarray(value)
    if not issubclass(array.dtype.type, (np.integer, np.bool_)):
        array = array.astype(_float64)
    return _array2string(array, separator=", ", formatter={"float_kind": "{:.6g}".format})


class _Session:
    """One pass over a list of (name, check), reporting each as it finishes."""

    def __init__(self, checks, output, emit, interrupted, strict, hint):
        self.checks, self.output, self.emit = checks, output, emit
        self.interrupted, self.strict, self.hint = interrupted, strict, hint
        self.lens: LensPlan | None = None

    def all(self, learner_function: Callable) -> Results:
        results: list[TestResult] = []
        for index, (name, check) in enumerate(self.checks):
            self.emit({"event": "test_started", "index": index})
            recording = self.lens.recording(index) if self.lens else None
            result = self._one(name, check, learner_function, recording)
            if self.lens:
                self.lens.finished(name, result.status, recording)
            results.append(result)
            self.emit({"event": "test_finished", "index": index, "result": asdict(result)})
            if result.status is Status.TIMEOUT or self.interrupted():
                message = f"Not run: the time limit ran out during '{name}'."
                results += [
                    TestResult(later, Status.TIMEOUT, message)
                    for later, _ in self.checks[index + 1 :]
                ]
                break
        return Results(overall_status(results, None), results,
                       lens=self.lens.lens() if self.lens else None)

    def not_run(self, status: Status, message: str, error: LearnerError | None) -> Results:
        tests = [TestResult(name, status, message) for name, _ in self.checks]
        return Results(status if status is Status.TIMEOUT else Status.ERROR, tests, error=error)

    def _one(self, name: str, check: Callable, learner_function: Callable,
             recording=None) -> TestResult:
        start_offset = self.output.size()
        started = time.perf_counter()
        picture, drawn = None, []
        status, message, error, hint = Status.PASS, "", None, ""
        calls = CallLog.record(recording)
        try:
            with _interruptible(self.interrupted), self.output.captured(), \
                    figures.drawing() as drawn:
                check(learner_function)
        except Failure as failure:
            status, message = Status.FAIL, str(failure)
            hint = self._hint_for(calls, failure)
            picture = figures.validated_picture(getattr(failure, "picture", None))
        except KeyboardInterrupt as interrupt:
            if self.interrupted():
                status, message = Status.TIMEOUT, "Time limit exceeded: your code was stopped."
            else:
                status, error = Status.ERROR, learner_error(interrupt)
                message = _error_message(error)
        except BaseException as exception:  # noqa: BLE001 - learner code may raise anything
            if not raised_in_learner_code(exception) and self.strict:
                raise
            error = learner_error(exception)
            status, message = Status.ERROR, _error_message(error)
            if raised_in_learner_code(exception):
                hint = self._hint_for(calls, None)
            else:
                message = f"Internal error in this test (not your fault): {message}"
        finally:
            CallLog.stop()
        duration_ms = round((time.perf_counter() - started) * 1000, 3)
        output = self.output.since(start_offset)
        comparison = getattr(check, "comparison", None)
        return TestResult(name, status, message, output, duration_ms, error, hint, comparison,
                          picture, figures.validated(drawn))

    def _hint_for(self, calls: list[Call], failure: Failure | None) -> str:
        """Find the hint, with whatever the known mistakes print or warn kept from the learner."""
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = _discard()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self.hint(calls, failure)
        finally:
            sys.stdout, sys.stderr = saved


def _load_learner(source: str, function: str, interrupted: Callable[[], bool]):
    """Execute the learner's module; return (function, None, _, its code object) or (None,
    error, status, _)."""
    linecache.cache[LEARNER_FILENAME] = (
        len(source), None, source.splitlines(keepends=True), LEARNER_FILENAME
    )
    namespace = {"__name__": LEARNER_MODULE, "__file__": LEARNER_FILENAME}
    try:
        code = compile(source, LEARNER_FILENAME, "exec")
        with _interruptible(interrupted), learner_code():
            exec(code, namespace)
    except KeyboardInterrupt as interrupt:
        if interrupted():
            return None, learner_error(interrupt), Status.TIMEOUT, None
        return None, learner_error(interrupt), Status.ERROR, None
    except BaseException as exception:  # noqa: BLE001 - learner code may raise anything
        return None, learner_error(exception), Status.ERROR, None
    learner_function = namespace.get(function)
    if not callable(learner_function):
        found = "is not a function" if function in namespace else "is not defined"
        message = f"`{function}` {found} in your code; define `def {function}(...)`."
        return None, LearnerError("NameError", message, None, ""), Status.ERROR, None
    return learner_function, None, Status.PASS, code


def _load_message(error: LearnerError, status: Status) -> str:
    if status is Status.TIMEOUT:
        return "Not run: the time limit ran out while your module was loading."
    return f"Not run: {_error_message(error)}"


def _error_message(error: LearnerError) -> str:
    where = f" (line {error.line} of your code)" if error.line else ""
    text = f"{error.type}: {error.message}" if error.message else error.type
    return text + where


def _is_learner_file(filename: str) -> bool:
    """The editor's code, or the learner's code for an earlier problem (a part)."""
    return filename == LEARNER_FILENAME or filename.startswith(PART_FILENAME_PREFIX)


def raised_in_learner_code(exception: BaseException) -> bool:
    """Tell whether the exception passed through a frame of the learner's code."""
    if isinstance(exception, SyntaxError) and _is_learner_file(exception.filename or ""):
        return True
    return any(
        _is_learner_file(frame.filename)
        for frame in traceback.extract_tb(exception.__traceback__)
    )


def learner_error(exception: BaseException) -> LearnerError:
    """Describe an exception in the learner's terms: their lines only, their line numbers.

    `line` is always a line of the editor's code; frames in the learner's parts are listed
    under the part's own file name.
    """
    kind = "ImportError" if isinstance(exception, PartMissing) else type(exception).__name__
    if isinstance(exception, SyntaxError) and _is_learner_file(exception.filename or ""):
        detail = traceback.format_exception_only(type(exception), exception)
        line = exception.lineno if exception.filename == LEARNER_FILENAME else None
        return LearnerError(kind, exception.msg, line, "".join(detail))
    frames = [
        frame
        for frame in traceback.extract_tb(exception.__traceback__)
        if _is_learner_file(frame.filename)
    ]
    message = explain(exception)
    listing = "".join(traceback.format_list(frames)) if frames else ""
    header = "Traceback (most recent call last):\n" if frames else ""
    text = f"{header}{listing}{kind}: {message}\n" if message else f"{header}{listing}{kind}\n"
    own = [frame for frame in frames if frame.filename == LEARNER_FILENAME]
    return LearnerError(kind, message, own[-1].lineno if own else None, text)


AVAILABLE = "only NumPy and Python's standard library are available here"


def explain(exception: BaseException) -> str:
    """The exception's message, with what it means here when learners often misread it."""
    try:
        text = str(exception)
    except Exception:  # noqa: BLE001 - a learner's __str__ may itself raise
        return f"<{type(exception).__name__} whose message could not be shown>"
    if isinstance(exception, PartMissing):
        return text
    if isinstance(exception, ModuleNotFoundError) and exception.name:
        # A module of the site's that the worker could not download when first imported
        # (sitebuild/lazy_modules.py) says so itself.
        if getattr(exception, "not_downloaded", False):
            return text
        return f"No module named {exception.name!r}: {AVAILABLE}."
    if isinstance(exception, EOFError) and "reading a line" in text:
        return "input() has nothing to read here: your function gets its values as arguments."
    if isinstance(exception, guard.ExitCalled):
        return f"{text}: return from your function instead of ending Python."
    if isinstance(exception, SystemExit):
        return "your code called sys.exit() or raised SystemExit: return from your function instead."
    if isinstance(exception, RecursionError):
        return f"{text}: does a function call itself without end?"
    if isinstance(exception, MemoryError):
        return "your code used more memory than the browser gives Python (4 GiB at most)."
    return text


class BoundedOutput(io.TextIOBase):
    """A text sink for stdout and stderr that keeps the first `limit` characters.

    Once full, it points the streams at /dev/null, whose C-level writes keep a flood of
    print() calls several times faster than this Python-level `write` could.
    """

    def __init__(self, limit: int):
        self.limit, self.truncated = limit, False
        self._parts: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        room = self.limit - self._size
        if len(text) > room:
            self._overflow()
            text = text[: max(room, 0)]
        if text:
            self._parts.append(text)
            self._size += len(text)
        return len(text)

    def _show_warning(self, message, category, filename, lineno, file=None, line=None):
        """Show warnings here, whatever the host did with warnings.showwarning."""
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    def _overflow(self) -> None:
        self.truncated = True
        if sys.stdout is self:
            sys.stdout = _discard()
        if sys.stderr is self:
            sys.stderr = _discard()

    def size(self) -> int:
        return self._size

    def text(self) -> str:
        return "".join(self._parts)

    def since(self, offset: int) -> str:
        return self.text()[offset:]

    @contextlib.contextmanager
    def captured(self) -> Iterator[None]:
        """Send print() output and warnings here, restoring the real streams afterwards."""
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = _discard() if self.truncated else self
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.showwarning = self._show_warning
                yield
        finally:
            sys.stdout, sys.stderr = saved


@functools.cache
def _discard() -> io.TextIOBase:
    sink = open(os.devnull, "w")
    atexit.register(sink.close)
    return sink


# How many `_interruptible` stretches are running: the time limit's KeyboardInterrupt is
# raised only inside one, where the harness catches it. A list, counted in place: the guard
# puts this module's names back after each stretch of learner code, not their contents.
_catching = [0]


@contextlib.contextmanager
def _interruptible(interrupted: Callable[[], bool]) -> Iterator[None]:
    """A stretch of grading that the time limit may interrupt; it does not start at all once
    the limit has passed (its interrupt arrived, and was held, while the harness ran)."""
    if interrupted():
        raise KeyboardInterrupt
    _catching[0] += 1
    try:
        yield
    finally:
        _catching[0] -= 1


def _on_interrupt(signum, frame) -> None:
    """The time limit's signal: KeyboardInterrupt inside an `_interruptible` stretch, held
    (nothing raised) anywhere else."""
    if _catching[0]:
        raise KeyboardInterrupt


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[Callable[[], bool]]:
    """On CPython, interrupt the main thread after `seconds`; yield an `interrupted()` probe."""
    fired = False

    def on_alarm(signum, frame):
        nonlocal fired
        fired = True
        _on_interrupt(signum, frame)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield lambda: fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Taken last, once everything grading uses is defined and before any learner code runs.
guard.protect(checks, results, lens, figures, sys.modules[__name__])
