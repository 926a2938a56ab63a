"""Helpers that hidden tests use to call the learner's function and judge what it returns.

Every helper raises `Failure` with a message written for the learner: which value is wrong, in
what way (kind, shape, dtype, entries), and by how much. The NumPy functions used here are bound
at import time, before any learner code runs, so a learner who reassigns `np.allclose` and
friends cannot change how they are graded.
"""

from __future__ import annotations

import ast
import copy
import inspect
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from runner.figures import shape_picture, values_picture
from runner.guard import learner_code

_deepcopy = copy.deepcopy
_asarray = np.asarray
_abs = np.abs
_isfinite = np.isfinite
_argwhere = np.argwhere
_ndarray = np.ndarray
_number = np.number
_bool = np.bool_
_complexfloating = np.complexfloating
_errstate = np.errstate
_float64 = np.float64
_allclose = np.allclose
_array_equal = np.array_equal
_zeros = np.zeros
_ndindex = np.ndindex

MAX_LISTED_ENTRIES = 3


class Failure(AssertionError):
    """A hidden test found the learner's answer wrong; the message says how.

    `value` names the returned value that was judged wrong (such as "dW"), when there is one;
    `changed_input` is the position of the argument the function changed in place, if it did;
    `picture` draws a failed comparison of arrays (runner/figures.py).
    """

    def __init__(self, message: str, value: str | None = None, changed_input: int | None = None,
                 picture=None):
        super().__init__(message)
        self.value = value
        self.changed_input = changed_input
        self.picture = picture


@dataclass
class Call:
    """One call a test made to the learner's function: pristine inputs and what came back."""

    args: tuple
    returned: Any = None
    raised: BaseException | None = None


class CallLog:
    """The calls made through `call` while the harness runs one test; `lens`, when set, is the
    shape lens's recording (runner/lens.py) to run the test's first call under."""

    calls: list[Call] | None = None
    lens = None

    @classmethod
    def record(cls, lens=None) -> list[Call]:
        cls.calls, cls.lens = [], lens
        return cls.calls

    @classmethod
    def stop(cls) -> None:
        cls.calls = cls.lens = None


def hidden_test(name: str) -> Callable[[Callable], Callable]:
    """Mark a function as a hidden test shown to the learner under `name`."""

    def mark(function: Callable) -> Callable:
        function.hidden_test_name = name
        return function

    return mark


def call(function: Callable, *args: Any) -> Any:
    """Call the learner's function on copies of `args` and fail if it changed them.

    The test's own `args` are never handed over, so expectations computed from them stay right
    whatever the function does; the call is logged so the harness can match known mistakes.
    """
    return call_with_inputs(function, *args)[0]


def call_with_inputs(function: Callable, *args: Any) -> tuple[Any, tuple]:
    """`call`, returning (what came back, the copies of `args` the function was given), for
    tests that check that a result shares no memory with the function's inputs."""
    pristine = _deepcopy(args)
    given = _deepcopy(args)
    log = CallLog.calls
    lens = CallLog.lens if log is not None and not log else None
    entry = Call(pristine)
    if log is not None:
        log.append(entry)
    try:
        with learner_code():
            entry.returned = function(*given) if lens is None else lens.call(function, given)
    except BaseException as error:
        entry.raised = error
        raise
    for position, (before, after) in enumerate(zip(pristine, given)):
        where = changed(before, after)
        if where is not None:
            name = _parameter_name(function, position) + where
            fix = ("build a new dict instead of changing"
                   if isinstance(_item(before, where), dict) else "build new arrays instead of "
                   "writing into")
            raise Failure(
                f"Your function changed its input `{name}` in place. Leave inputs untouched: "
                f"{fix} `{name}`.",
                changed_input=position,
            )
    return entry.returned, given


def _item(value: Any, where: str) -> Any:
    """The item of `value` that a `changed` location such as "['W'][0]" names."""
    for key in re.findall(r"\[([^\]]+)\]", where):
        value = value[ast.literal_eval(key)]
    return value


def changed(before: Any, after: Any) -> str | None:
    """Where `after` differs from its pristine copy `before`: "" for the value itself, "['W']"
    for an entry of a dict, "[2]" for an item of a list; None where nothing changed. Only
    arrays and the dicts, lists and tuples holding them are compared."""
    if isinstance(before, _ndarray):
        same = isinstance(after, _ndarray) and _array_equal(before, after, equal_nan=True)
        return None if same else ""
    if isinstance(before, dict):
        if not isinstance(after, dict) or before.keys() != after.keys():
            return ""
        items = [(f"[{key!r}]", before[key], after[key]) for key in before]
    elif isinstance(before, (list, tuple)):
        if type(after) is not type(before) or len(after) != len(before):
            return ""
        items = [(f"[{index}]", b, a) for index, (b, a) in enumerate(zip(before, after))]
    else:
        return None
    for label, b, a in items:
        inner = changed(b, a)
        if inner is not None:
            return label + inner
    return None


def _parameter_name(function: Callable, position: int) -> str:
    try:
        return list(inspect.signature(function).parameters)[position]
    except (TypeError, ValueError, IndexError):
        return f"argument {position + 1}"


def same_value(a: Any, b: Any) -> bool:
    """Tell whether two results agree: same structure, same shapes, numerically close."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(same_value(a[key], b[key]) for key in a)
        )
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (
            isinstance(a, (tuple, list))
            and isinstance(b, (tuple, list))
            and len(a) == len(b)
            and all(same_value(x, y) for x, y in zip(a, b))
        )
    try:
        a, b = _asarray(a), _asarray(b)
        return a.shape == b.shape and bool(_allclose(a, b, rtol=1e-5, atol=1e-8, equal_nan=True))
    except (TypeError, ValueError):
        return False


def unpack(value: Any, names: Sequence[str], *, scalars: Sequence[str] = ()) -> list[np.ndarray]:
    """Check that `value` is a tuple of len(names) numeric arrays and return them as arrays.

    `scalars` names the values that are single numbers (a loss): one that comes back as an
    array while another value is a single number means the tuple is in the wrong order.
    """
    expected = f"a tuple ({', '.join(names)})"
    if value is None:
        raise Failure(f"Expected {expected}, but your function returned None: is a `return` missing?")
    if not isinstance(value, (tuple, list)):
        raise Failure(f"Expected {expected}, but your function returned {_describe(value)}.")
    if len(value) != len(names):
        raise Failure(
            f"Expected {expected} of {len(names)} values, "
            f"but your function returned {len(value)} values."
        )
    arrays = [as_numeric_array(name, item) for name, item in zip(names, value)]
    for name, array in zip(names, arrays):
        swapped = next((other for other, each in zip(names, arrays)
                        if other not in scalars and each.shape == ()), None)
        if name in scalars and array.shape != () and swapped:
            raise Failure(
                f"`{name}` came back as an array of shape {array.shape} and `{swapped}` as a "
                f"single number: return them in the order ({', '.join(names)}).",
                name,
            )
    return arrays


def expect_scalar(name: str, array: np.ndarray, advice: str = "") -> None:
    """Fail unless `array` is a single number; `advice` says how to make it one."""
    if array.shape != ():
        advice = f": {advice}" if advice else ""
        raise Failure(f"{name} has shape {array.shape} but should be a single number (a float "
                      f"or a 0-d array){advice}.", name)


def as_numeric_array(name: str, value: Any) -> np.ndarray:
    """Return `value` as a real-valued array, or fail saying why it is not one."""
    if value is None:
        raise Failure(f"{name} is None; expected a NumPy array.", name)
    try:
        array = _asarray(value)
    except (ValueError, TypeError) as error:
        raise Failure(f"{name} cannot be read as an array ({error}).", name) from None
    if issubclass(array.dtype.type, _complexfloating):
        raise Failure(f"{name} has complex dtype {array.dtype}; expected real numbers.", name)
    if not issubclass(array.dtype.type, (_number, _bool)):
        raise Failure(
            f"{name} has dtype {array.dtype}; expected numbers ({_describe(value)}).", name
        )
    return array


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """The gradient of the scalar function `f` at `x`, entry by entry by central differences:
    an expectation for a backward pass that does not itself use the chain rule."""
    result = _zeros(x.shape)
    for index in _ndindex(*x.shape):
        step = _zeros(x.shape)
        step[index] = eps
        result[index] = (f(x + step) - f(x - step)) / (2 * eps)
    return result


def expect_shape(name: str, array: np.ndarray, shape: tuple[int, ...], meaning: str = "") -> None:
    """Fail unless `array` has exactly `shape`; `meaning` names its axes, as in "(B, in)"."""
    _expect_shape(name, array, tuple(shape), meaning)


def _expect_shape(name, array, shape, meaning="", expected=None) -> None:
    """expect_shape, whose picture shows the expected values too when they are known."""
    if array.shape != shape:
        wanted = f"{meaning} = {shape}" if meaning else f"{shape}"
        raise Failure(f"{name} has shape {array.shape} but should be {wanted}.", name,
                      picture=shape_picture(name, array, shape, expected))


def expect_close(
    name: str,
    actual: np.ndarray,
    expected: np.ndarray,
    *,
    atol: float = 1e-8,
    rtol: float = 1e-5,
    reference: str = "the expected value",
) -> None:
    """Fail unless `actual` has the shape of `expected` and matches it entry by entry."""
    actual = as_numeric_array(name, actual)
    want = _asarray(expected, dtype=_float64)
    _expect_shape(name, actual, want.shape, expected=want)
    got = actual.astype(_float64)
    not_finite = ~_isfinite(got)
    if not_finite.any():
        index = tuple(int(i) for i in _argwhere(not_finite)[0])
        value = "NaN" if got[index] != got[index] else f"{got[index]}"
        raise Failure(
            f"{name} contains {value} at {_index(index)}; every entry must be a finite number.",
            name, picture=values_picture(name, got, want, not_finite),
        )
    with _errstate(invalid="ignore", over="ignore"):
        error = _abs(got - want)
        allowed = atol + rtol * _abs(want)
    wrong = error > allowed
    if not wrong.any():
        return
    raise Failure(_mismatch_message(name, got, want, error, wrong, atol, rtol, reference), name,
                  picture=values_picture(name, got, want, wrong))


def _mismatch_message(name, got, want, error, wrong, atol, rtol, reference) -> str:
    if got.ndim == 0:
        return (f"{name} is {_number_text(got)} but should be {_number_text(want)} "
                f"({reference}; tolerance atol={atol:g}, rtol={rtol:g}).")
    count = int(wrong.sum())
    worst = tuple(int(i) for i in _argwhere(error == error.max())[0])
    listed = [tuple(int(i) for i in index) for index in _argwhere(wrong)[:MAX_LISTED_ENTRIES]]
    entries = "; ".join(
        f"{_index(index)}: got {_number_text(got[index])}, expected {_number_text(want[index])}"
        for index in listed
    )
    more = f" (and {count - len(listed)} more)" if count > len(listed) else ""
    return (
        f"{name} differs from {reference} at {count} of {got.size} entries: {entries}{more}. "
        f"Largest absolute error {_number_text(error[worst])} at {_index(worst)} "
        f"(tolerance atol={atol:g}, rtol={rtol:g})."
    )


def _index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _number_text(value: float) -> str:
    return f"{float(value):.6g}"


def _describe(value: Any) -> str:
    if isinstance(value, _ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a value of type {type(value).__name__}"

