"""Run a learner's source against a problem's hidden tests and return one `Results`.

Learner mistakes (syntax errors, exceptions, wrong answers, runaway code) become results; only a
bug in the tests or the harness itself escapes, and only when `strict` is set.

The host enforces the time limit: the page sets Pyodide's interrupt buffer, CPython hosts use
`time_limit` below. Either way Python sees a KeyboardInterrupt, and `interrupted()` tells the
harness whether it came from the host's clock or from the learner's own `raise`.
"""

from __future__ import annotations

import contextlib
import io
import json
import linecache
import signal
import sys
import time
import traceback
import warnings
from dataclasses import asdict
from typing import Callable, Iterator

from runner.checks import Failure
from runner.results import LearnerError, Results, Status, TestResult, overall_status

LEARNER_FILENAME = "your_code.py"
LEARNER_MODULE = "solution"
OUTPUT_LIMIT = 20_000
TESTS_FILENAME = "hidden_tests.py"

EventSink = Callable[[dict], None]


class HarnessError(Exception):
    """The hidden tests themselves are broken (not the learner's fault)."""


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


def test_names(tests_source: str) -> list[str]:
    """Return the display names of a problem's hidden tests."""
    return [test.hidden_test_name for test in collect_tests(tests_source)]


def run(
    source: str,
    tests_source: str,
    function: str,
    *,
    on_event: EventSink | None = None,
    interrupted: Callable[[], bool] = lambda: False,
    strict: bool = False,
) -> Results:
    """Grade `source`, whose `function` the hidden tests in `tests_source` call."""
    tests = collect_tests(tests_source)
    emit = on_event or (lambda event: None)
    output = BoundedOutput(OUTPUT_LIMIT)
    run = _Run(tests, output, emit, interrupted, strict)
    with output.captured():
        learner_function, error, load_status = _load_learner(source, function, interrupted)
    if error is not None:
        results = run.not_run(load_status, _load_message(error, load_status), error)
    else:
        results = run.all(learner_function)
    results.output, results.output_truncated = output.text(), output.truncated
    return results


class _Run:
    """One pass over the hidden tests, reporting each as it finishes."""

    def __init__(self, tests, output, emit, interrupted, strict):
        self.tests, self.output, self.emit = tests, output, emit
        self.interrupted, self.strict = interrupted, strict

    def all(self, learner_function: Callable) -> Results:
        results: list[TestResult] = []
        for index, test in enumerate(self.tests):
            self.emit({"event": "test_started", "index": index})
            result = self._one(test, learner_function)
            results.append(result)
            self.emit({"event": "test_finished", "index": index, "result": asdict(result)})
            if result.status is Status.TIMEOUT:
                message = f"Not run: the time limit ran out during '{test.hidden_test_name}'."
                results += [
                    TestResult(t.hidden_test_name, Status.TIMEOUT, message)
                    for t in self.tests[index + 1 :]
                ]
                break
        return Results(overall_status(results, None), results)

    def not_run(self, status: Status, message: str, error: LearnerError | None) -> Results:
        tests = [TestResult(t.hidden_test_name, status, message) for t in self.tests]
        return Results(status if status is Status.TIMEOUT else Status.ERROR, tests, error=error)

    def _one(self, test: Callable, learner_function: Callable) -> TestResult:
        name = test.hidden_test_name
        start_offset = self.output.size()
        started = time.perf_counter()
        status, message, error = Status.PASS, "", None
        try:
            with self.output.captured():
                test(learner_function)
        except Failure as failure:
            status, message = Status.FAIL, str(failure)
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
            if not raised_in_learner_code(exception):
                message = f"Internal error in this test (not your fault): {message}"
        duration_ms = (time.perf_counter() - started) * 1000
        return TestResult(
            name, status, message, self.output.since(start_offset), round(duration_ms, 3), error
        )


def _load_learner(source: str, function: str, interrupted: Callable[[], bool]):
    """Execute the learner's module; return (function, None, _) or (None, error, status)."""
    linecache.cache[LEARNER_FILENAME] = (
        len(source), None, source.splitlines(keepends=True), LEARNER_FILENAME
    )
    namespace = {"__name__": LEARNER_MODULE, "__file__": LEARNER_FILENAME}
    try:
        code = compile(source, LEARNER_FILENAME, "exec")
        exec(code, namespace)
    except KeyboardInterrupt as interrupt:
        if interrupted():
            return None, learner_error(interrupt), Status.TIMEOUT
        return None, learner_error(interrupt), Status.ERROR
    except BaseException as exception:  # noqa: BLE001 - learner code may raise anything
        return None, learner_error(exception), Status.ERROR
    learner_function = namespace.get(function)
    if not callable(learner_function):
        found = "is not a function" if function in namespace else "is not defined"
        message = f"`{function}` {found} in your code; define `def {function}(...)`."
        return None, LearnerError("NameError", message, None, ""), Status.ERROR
    return learner_function, None, Status.PASS


def _load_message(error: LearnerError, status: Status) -> str:
    if status is Status.TIMEOUT:
        return "Not run: the time limit ran out while your module was loading."
    return f"Not run: {_error_message(error)}"


def _error_message(error: LearnerError) -> str:
    where = f" (line {error.line} of your code)" if error.line else ""
    text = f"{error.type}: {error.message}" if error.message else error.type
    return text + where


def raised_in_learner_code(exception: BaseException) -> bool:
    """Tell whether the exception passed through a frame of the learner's code."""
    if isinstance(exception, SyntaxError) and exception.filename == LEARNER_FILENAME:
        return True
    return any(
        frame.filename == LEARNER_FILENAME
        for frame in traceback.extract_tb(exception.__traceback__)
    )


def learner_error(exception: BaseException) -> LearnerError:
    """Describe an exception in the learner's terms: their lines only, their line numbers."""
    kind = type(exception).__name__
    if isinstance(exception, SyntaxError) and exception.filename == LEARNER_FILENAME:
        detail = traceback.format_exception_only(type(exception), exception)
        return LearnerError(kind, exception.msg, exception.lineno, "".join(detail))
    frames = [
        frame
        for frame in traceback.extract_tb(exception.__traceback__)
        if frame.filename == LEARNER_FILENAME
    ]
    message = _exception_text(exception)
    listing = "".join(traceback.format_list(frames)) if frames else ""
    header = "Traceback (most recent call last):\n" if frames else ""
    text = f"{header}{listing}{kind}: {message}\n" if message else f"{header}{listing}{kind}\n"
    return LearnerError(kind, message, frames[-1].lineno if frames else None, text)


def _exception_text(exception: BaseException) -> str:
    try:
        return str(exception)
    except Exception:  # noqa: BLE001 - a learner's __str__ may itself raise
        return f"<{type(exception).__name__} whose message could not be shown>"


class BoundedOutput(io.TextIOBase):
    """A text sink for stdout and stderr that keeps the first `limit` characters."""

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
            self.truncated = True
            text = text[: max(room, 0)]
        if text:
            self._parts.append(text)
            self._size += len(text)
        return len(text)

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
        sys.stdout = sys.stderr = self
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                yield
        finally:
            sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[Callable[[], bool]]:
    """On CPython, interrupt the main thread after `seconds`; yield an `interrupted()` probe."""
    fired = False

    def on_alarm(signum, frame):
        nonlocal fired
        fired = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield lambda: fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_json(source, tests_source, function, post_event, interrupted) -> str:
    """Entry point for the Web Worker: events and results cross to JavaScript as JSON text."""
    results = run(
        source,
        tests_source,
        function,
        on_event=lambda event: post_event(json.dumps(event)),
        interrupted=lambda: bool(interrupted()),
    )
    return results.to_json()
