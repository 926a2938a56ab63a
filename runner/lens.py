"""The shape lens: what each line of the learner's function produced, in one recorded call.

`LensPlan` picks the call (the first call of the first failing test, else of the first test;
the first example's on Run examples) and hands the harness a `Recording` for each call that may
be the one. A recording watches only the code objects compiled from the editor's code (never the
learner's earlier parts, NumPy or the harness) and keeps, per line, a short text: the arrays the
line assigned or returned with their shapes and dtypes, other values by type name, and how many
times the line ran. It reads `shape` and `dtype` only, never an array's data, so a huge array
costs what a small one does.

Hard caps keep a long loop from slowing the call: a line stops being watched after
`MAX_HITS_PER_LINE` runs (its text is then the last iteration recorded and its count a floor),
a call after `MAX_EVENTS` line events; at most `MAX_LINES` lines, `MAX_NAMES` values a line and
`MAX_TEXT` characters a text are kept.

Events come from Python 3.12's `sys.monitoring` (Pyodide's Python), which can switch off one
hot line while the rest of the call stays watched and costs nothing in code it does not watch;
on older CPython hosts (the test suite's), from `sys.settrace`, which stops watching the lines of
a call at the caps. docs/benchmark.md has the measurements behind the choice.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from types import CodeType
from typing import Any, Callable

import numpy as np

from runner.results import Lens, LensEntry, Status

LEARNER_FILENAME = "your_code.py"
MAX_HITS_PER_LINE = 500
MAX_EVENTS = 5_000
MAX_LINES = 200
MAX_NAMES = 6
MAX_TEXT = 160
# sys.monitoring's tool ids that Python names for no one (0 debugger, 1 coverage, 2 profiler,
# 5 optimizer); the first free one is used.
TOOL_IDS = (4, 3)

_getframe = sys._getframe
_monitoring = getattr(sys, "monitoring", None)
_settrace = sys.settrace
_ndarray = np.ndarray
_shape_of = np.ndarray.shape.__get__
_dtype_of = np.ndarray.dtype.__get__
_type_name = type.__dict__["__name__"].__get__
_dict_get = dict.get


@dataclass
class _Statement:
    """A statement of the learner's code: its first line, the names it assigns, and, for a
    `return`, the labels of what it returns (one per item of a returned tuple)."""

    line: int
    targets: tuple[str, ...] = ()
    returns: tuple[str, ...] | None = None
    graded: bool = False  # in the function the tests call, whose returned tuple has names


class LensPlan:
    """Which call of a run the lens shows, and the recordings that may be it."""

    def __init__(self, kind: str, module_code: CodeType, source: str, function: str,
                 returns: list[str]):
        self.kind = kind
        self.statements = _statements(source, function, tuple(returns))
        self.codes = _learner_codes(module_code)
        self.returns = tuple(returns)
        self.chosen: tuple[str, str, Recording] | None = None
        self.first: tuple[str, str, Recording] | None = None

    def recording(self, index: int) -> "Recording | None":
        """A recording for the first call of check number `index`, or None if it cannot matter."""
        if self.chosen is not None or (self.kind == "examples" and index > 0):
            return None
        return Recording(self.statements, self.codes, self.returns)

    def finished(self, name: str, status: Status, recording: "Recording | None") -> None:
        """Note how the check that `recording` watched ended."""
        if recording is None or not recording.ran:
            return
        if self.kind == "examples":
            self.chosen = (name, "first example", recording)
        elif status is not Status.PASS:
            self.chosen = (name, "first failing test", recording)
        elif self.first is None:
            self.first = (name, "first test", recording)

    def lens(self) -> Lens | None:
        picked = self.chosen or self.first
        if picked is None:
            return None
        name, why, recording = picked
        return Lens(name, why, recording.entries())


class Recording:
    """One call of the learner's function, watched line by line (see the module's docstring)."""

    def __init__(self, statements: dict[int, _Statement], codes: frozenset, returns: tuple):
        self.statements, self.codes, self.returns = statements, codes, returns
        self.ran = False
        self.events = 0
        self.counts: dict[int, int] = {}
        self.texts: dict[int, str] = {}
        self.more: set[int] = set()
        # Per frame: [its current statement, the line of its last event, a statement whose
        # targets are to be read at its next event (they are assigned by then)].
        self.frames: dict[Any, list] = {}

    def call(self, function: Callable, args: tuple) -> Any:
        """Return function(*args), recording what the learner's lines produce meanwhile."""
        source = (_Monitored if _monitoring is not None else _Traced)(self)
        self.ran = source.start()
        try:
            return function(*args)
        finally:
            if self.ran:
                source.stop()
            self.frames.clear()

    def on_line(self, frame, line: int) -> bool:
        """A line event in a watched frame; False once this line is no longer worth watching."""
        statement = _dict_get(self.statements, line)
        if statement is None:
            return True
        state = self.frames.get(frame)
        if state is None:
            state = self.frames[frame] = [None, None, None]
        current, last_line, pending = state
        state[1] = line
        # The other lines of a statement spread over several, not a new run of it; a jump back
        # to a statement's own line is (a loop on one line).
        if statement is current and not (line == statement.line == last_line):
            return True
        if pending is not None:
            self._read_targets(pending, frame.f_locals)
            state[2] = None
        state[0] = statement
        start = statement.line
        count = self.counts.get(start)
        if count is None and len(self.counts) >= MAX_LINES:
            return False
        count = self.counts[start] = (count or 0) + 1
        self.events += 1
        if count >= MAX_HITS_PER_LINE or self.events >= MAX_EVENTS:
            self.more.add(start)
            return False
        if statement.targets:
            state[2] = statement
        return True

    def on_return(self, frame, value: Any) -> bool:
        """A watched frame returned `value`; False once its returns are no longer watched."""
        state = self.frames.pop(frame, None)
        if state is None or state[0] is None:
            return self.events < MAX_EVENTS
        statement, _, pending = state
        if pending is not None:
            self._read_targets(pending, frame.f_locals)
        recorded = statement.line in self.counts and statement.line not in self.more
        if statement.returns is not None and recorded:
            self.texts[statement.line] = _cut("→ " + _returned_text(value, statement,
                                                                    self.returns))
        return True

    def _read_targets(self, statement: _Statement, names: dict) -> None:
        shown = [f"{name} {_describe(names[name])}" for name in statement.targets
                 if name in names][:MAX_NAMES]
        if len(statement.targets) > MAX_NAMES and len(shown) == MAX_NAMES:
            shown.append("…")
        if shown:
            self.texts[statement.line] = _cut(", ".join(shown))

    def entries(self) -> list[LensEntry]:
        return [LensEntry(line, text, self.counts.get(line, 1), line in self.more)
                for line, text in sorted(self.texts.items())]


class _Monitored:
    """Events from sys.monitoring, for the learner's code objects only; a line past its cap
    is switched off alone (DISABLE), so a long loop runs at full speed after its first laps."""

    def __init__(self, recording: Recording):
        self.recording = recording
        self.tool: int | None = None

    def start(self) -> bool:
        for tool in TOOL_IDS:
            try:
                _monitoring.use_tool_id(tool, "shape lens")
            except ValueError:
                continue
            self.tool = tool
            break
        else:
            return False
        events = _monitoring.events
        _monitoring.register_callback(self.tool, events.LINE, self.line)
        _monitoring.register_callback(self.tool, events.PY_RETURN, self.returned)
        _monitoring.restart_events()  # lines an earlier recording switched off
        for code in self.recording.codes:
            _monitoring.set_local_events(self.tool, code, events.LINE | events.PY_RETURN)
        return True

    # Events of code not ours come only from local events learner code set for this tool id
    # before it was ours; they are switched off unseen.
    def line(self, code, line):
        if code not in self.recording.codes or not self.recording.on_line(_getframe(1), line):
            return _monitoring.DISABLE
        return None

    def returned(self, code, offset, value):
        if code not in self.recording.codes or not self.recording.on_return(_getframe(1), value):
            return _monitoring.DISABLE
        return None

    def stop(self) -> None:
        # Learner code may have freed the tool or changed its events: the lens is theirs to
        # spoil, but nothing here may fail because of it.
        events = _monitoring.events
        try:
            for code in self.recording.codes:
                _monitoring.set_local_events(self.tool, code, 0)
            _monitoring.register_callback(self.tool, events.LINE, None)
            _monitoring.register_callback(self.tool, events.PY_RETURN, None)
        except ValueError:
            pass
        if _monitoring.get_tool(self.tool) is not None:
            _monitoring.free_tool_id(self.tool)


class _Traced:
    """Events from sys.settrace, where sys.monitoring is missing (CPython before 3.12): past a
    cap, the frame's lines stop being traced; its return still is."""

    def __init__(self, recording: Recording):
        self.recording = recording

    def start(self) -> bool:
        _settrace(self.call)
        return True

    def call(self, frame, event, arg):
        return self.local if frame.f_code in self.recording.codes else None

    def local(self, frame, event, arg):
        if event == "line":
            if not self.recording.on_line(frame, frame.f_lineno) and \
                    self.recording.events >= MAX_EVENTS:
                frame.f_trace_lines = False  # its return is still traced
                _settrace(None)  # and no new frame is
        elif event == "return":
            self.recording.on_return(frame, arg)
        return self.local

    def stop(self) -> None:
        _settrace(None)


def _learner_codes(module_code: CodeType) -> frozenset:
    """The code objects of the editor's functions (not lambdas or generator expressions, whose
    lines belong to the statement around them)."""
    found, todo = set(), [module_code]
    while todo:
        code = todo.pop()
        for constant in code.co_consts:
            if isinstance(constant, CodeType) and constant.co_filename == LEARNER_FILENAME:
                todo.append(constant)
                if not constant.co_name.startswith("<"):
                    found.add(constant)
    return frozenset(found)


def _statements(source: str, function: str, returns: tuple) -> dict[int, _Statement]:
    """Each line of `source` mapped to the statement it belongs to (a compound statement's
    header lines only); `returns` labels the tuple returned by `function`."""
    table: dict[int, _Statement] = {}

    def visit(node: ast.AST, in_function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                body = getattr(child, "body", None)
                compound = isinstance(body, list) and body and isinstance(body[0], ast.stmt)
                last = body[0].lineno - 1 if compound else child.end_lineno
                graded = in_function == function
                statement = _Statement(child.lineno, _targets(child),
                                       _return_labels(child, graded, returns), graded)
                for line in range(child.lineno, max(child.lineno, last) + 1):
                    table[line] = statement
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
            elif isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                visit(child, in_function)

    visit(ast.parse(source), None)
    return table


def _targets(statement: ast.stmt) -> tuple[str, ...]:
    """The names a statement assigns; a subscript or attribute target names its base."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and statement.value is not None:
        targets = [statement.target]
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        targets = [statement.target]
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in statement.items if item.optional_vars]
    else:
        return ()
    names: list[str] = []
    for target in targets:
        for name in _names(target):
            if name not in names:
                names.append(name)
    return tuple(names)


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for item in target.elts for name in _names(item)]
    if isinstance(target, ast.Starred):
        return _names(target.value)
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return [target.id] if isinstance(target, ast.Name) else []


def _return_labels(statement: ast.stmt, graded: bool, returns: tuple) -> tuple[str, ...] | None:
    """Labels for what a `return` gives back: a name each for a tuple's items (the variable
    returned, else the problem's name for that position in the graded function)."""
    if not isinstance(statement, ast.Return) or statement.value is None:
        return None
    value = statement.value
    if isinstance(value, ast.Tuple):
        named = graded and len(returns) == len(value.elts)
        return tuple(item.id if isinstance(item, ast.Name) else returns[index] if named else ""
                     for index, item in enumerate(value.elts))
    return (value.id if isinstance(value, ast.Name) else "",)


def _returned_text(value: Any, statement: _Statement, returns: tuple) -> str:
    """`dx (4, 3), dW (3, 5), db (5,)` for a returned tuple (float64 left out), else one value."""
    labels = statement.returns
    if type(value) is tuple and len(value) > 1:
        if len(labels) != len(value):
            named = statement.graded and len(returns) == len(value)
            labels = returns if named else ("",) * len(value)
        items = [_labelled(label, _describe(item, short=True))
                 for label, item in zip(labels[:MAX_NAMES], value)]
        return ", ".join(items + (["…"] if len(value) > MAX_NAMES else []))
    return _labelled(labels[0] if len(labels) == 1 else "", _describe(value))


def _labelled(label: str, description: str) -> str:
    return f"{label} {description}" if label else description


def _describe(value: Any, short: bool = False) -> str:
    """An array's shape and dtype (float64 left out when `short`); any other value's type.

    Only type, shape and dtype are read, through NumPy's and Python's own descriptors, so no
    learner code (a property, a metaclass) runs here, and the size of an array does not matter.
    """
    kind = type(value)
    if issubclass(kind, _ndarray):
        dtype = str(_dtype_of(value))
        shape = str(_shape_of(value))
        return shape if short and dtype == "float64" else f"{shape} {dtype}"
    return _type_name(kind)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
