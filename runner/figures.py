"""Pictures of failed array comparisons, and figures that tests and examples draw.

Both travel in the results object (runner/results.py) as numbers and short text only, and the
page draws them as SVG through DOM calls, so nothing in them can become markup. Their size is
capped here: a picture or a field draws at most GRID_LIMIT x GRID_LIMIT cells (larger arrays
are summarised block by block, with a note), a line at most LINE_POINTS points per curve.

Authors draw with `line`, `field` and `bars` from a hidden test, or from a function of tests.py
marked `@example_figure`, which the harness calls with each example's values. Learner code can
call them too (like print), which is why `validated` checks every figure again, by type and
size, before it leaves the harness: a figure that does not hold is refused, a text too long is
cut. The NumPy functions used here are bound at import, before any learner code runs.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from typing import Any, Callable, Iterator

import numpy as np

from runner.results import ArrayPicture, Figure, Grid, Point, Series

_asarray, _float64, _isfinite, _abs = np.asarray, np.float64, np.isfinite, np.abs
_full, _nan, _argmax, _nanmean = np.full, np.nan, np.argmax, np.nanmean
_ndarray, _errstate, _allclose = np.ndarray, np.errstate, np.allclose
_isnan, _where, _take_along_axis = np.isnan, np.where, np.take_along_axis
_flatnonzero, _arange, _linspace = np.flatnonzero, np.arange, np.linspace

GRID_LIMIT = 64
LINE_POINTS = 1000
SERIES_LIMIT = 8
BARS_LIMIT = 64
POINTS_LIMIT = 256
FIGURES_PER_CHECK = 6
TITLE_LIMIT = 120
LABEL_LIMIT = 40
NOTE_LIMIT = 300
KINDS = ("line", "field", "bars")


class FigureLog:
    """The figures drawn while the harness runs one test or example (None between them)."""

    figures: list | None = None


@contextlib.contextmanager
def drawing() -> Iterator[list]:
    """Collect the figures drawn inside the block into the list it yields."""
    drawn = FigureLog.figures = []
    try:
        yield drawn
    finally:
        FigureLog.figures = None


def example_figure(function: Callable) -> Callable:
    """Mark a function of tests.py that draws figures for each example it is called with.

    It receives an `ExampleValues` (inputs, expected and the learner's actual outputs by name),
    after the learner's call and before the comparison, so its figures show on a failure too.
    """
    function.example_figure = True
    return function


class ExampleValues:
    """An example's values by name, for `example_figure` functions."""

    def __init__(self, name: str, inputs: dict, expected: dict, actual: dict):
        self.name, self.inputs, self.expected, self.actual = name, inputs, expected, actual


# -- Pictures of a failed comparison ------------------------------------------------------------

def values_picture(name: str, actual: np.ndarray, expected: np.ndarray, wrong: np.ndarray,
                   note: str = "") -> ArrayPicture | None:
    """Expected, actual and their difference, with the wrong entries marked (same shapes)."""
    if expected.ndim == 0:
        return None  # one number: the message says it all
    want, got, bad, layout, shown = _as_drawn(expected), _as_drawn(actual), _as_drawn(wrong), \
        _layout(expected), _shape_note(expected.shape)
    with _errstate(invalid="ignore", over="ignore"):
        difference = got - want
    cells, summary = _summarised(want.shape)
    expected_grid, actual_grid = _grid(want, cells, "mean"), _grid(got, cells, "mean")
    difference_grid = _grid(difference, cells, "largest")
    marked = _marked(bad, cells)
    finite = [abs(v) for grid in (expected_grid, actual_grid, difference_grid)
              for v in grid.values if v is not None]
    notes = " ".join(text for text in (note, shown, summary) if text)
    return ArrayPicture(name, "values", layout, list(expected.shape), list(actual.shape),
                        int(wrong.sum()), int(expected.size), expected_grid, actual_grid,
                        difference_grid, marked, _number(max(finite, default=0.0)) or 0.0,
                        _text(notes, NOTE_LIMIT))


def shape_picture(name: str, actual: np.ndarray, expected_shape: tuple[int, ...],
                  expected: np.ndarray | None = None) -> ArrayPicture:
    """The expected and actual shapes to scale, filled with their values where known."""
    size = math.prod(expected_shape)
    grids, finite = [], []
    for array, shape in ((expected, expected_shape), (actual, actual.shape)):
        rows, cols = _drawn_shape(shape)
        grid = Grid(rows, cols)
        if (array is not None and array.dtype.kind in "biuf" and 0 < array.size
                and rows <= GRID_LIMIT and cols <= GRID_LIMIT):
            grid.values = _finite_list(_as_drawn(array).astype(_float64).ravel())
            finite += [abs(v) for v in grid.values if v is not None]
        grids.append(grid)
    layout = "bars" if len(expected_shape) == 1 and actual.ndim <= 1 else "heatmap"
    return ArrayPicture(name, "shape", layout, list(expected_shape), list(actual.shape), size,
                        size, grids[0], grids[1], None, [], _number(max(finite, default=0.0))
                        or 0.0, _text(_shape_relation(name, actual, expected), NOTE_LIMIT))


def _shape_relation(name: str, actual: np.ndarray, expected: np.ndarray | None) -> str:
    """What a shape mismatch looks like when the entries are there: a transpose, a reshape."""
    if expected is None or actual.size != expected.size or actual.dtype.kind not in "biuf":
        return ""
    got = actual.astype(_float64)
    with _errstate(invalid="ignore", over="ignore"):
        if got.ndim == 2 and got.T.shape == expected.shape and _allclose(got.T, expected):
            return f"Your {name} transposed (.T) matches the expected value."
        if _allclose(got.reshape(expected.shape), expected):
            return (f"Your {name} holds the right numbers in the wrong shape: "
                    f"{tuple(actual.shape)} instead of {tuple(expected.shape)}.")
    return ""


def _layout(array: np.ndarray) -> str:
    return "bars" if array.ndim == 1 else "heatmap"


def _as_drawn(array: np.ndarray) -> np.ndarray:
    """A 1-D array as one row, a 2-D array as it is, more axes stacked into rows."""
    array = _asarray(array)
    if array.ndim <= 1:
        return array.reshape(1, -1)
    return array.reshape(-1, array.shape[-1])


def _drawn_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return 1, int(shape[0])
    return int(math.prod(shape[:-1])), int(shape[-1])


def _shape_note(shape: tuple[int, ...]) -> str:
    if len(shape) <= 2:
        return ""
    rows, cols = _drawn_shape(shape)
    return f"Drawn as {rows} x {cols}: the leading axes of {tuple(shape)} stacked into rows."


def _summarised(shape: tuple[int, int]) -> tuple[tuple[int, int, int, int], str]:
    """Block sizes that bring `shape` within GRID_LIMIT cells a side, and the note saying so."""
    rows, cols = shape
    block_rows, block_cols = -(-rows // GRID_LIMIT), -(-cols // GRID_LIMIT)
    cells = (-(-rows // block_rows), -(-cols // block_cols), block_rows, block_cols)
    if block_rows == block_cols == 1:
        return cells, ""
    return cells, (f"{rows} x {cols} entries drawn as {cells[0]} x {cells[1]} cells of "
                   f"{block_rows} x {block_cols}: expected and yours show each block's mean, "
                   f"the difference its largest, and a cell is marked if any entry in it is "
                   f"wrong.")


def _blocks(array: np.ndarray, cells) -> np.ndarray:
    """`array` padded with NaN and cut into blocks: shape (rows, cols, entries per block)."""
    rows, cols, block_rows, block_cols = cells
    padded = _full((rows * block_rows, cols * block_cols), _nan)
    padded[: array.shape[0], : array.shape[1]] = array
    blocks = padded.reshape(rows, block_rows, cols, block_cols).swapaxes(1, 2)
    return blocks.reshape(rows, cols, block_rows * block_cols)


def _grid(array: np.ndarray, cells, how: str) -> Grid:
    values = array.astype(_float64)
    if cells[2] * cells[3] > 1:
        blocks = _blocks(_where(_isfinite(values), values, _nan), cells)
        with _errstate(invalid="ignore"), _warnings_off():
            if how == "mean":
                values = _nanmean(blocks, axis=2)
            else:
                largest = _argmax(_where(_isnan(blocks), -1.0, _abs(blocks)), axis=2)
                values = _take_along_axis(blocks, largest[..., None], axis=2)[..., 0]
    return Grid(int(values.shape[0]), int(values.shape[1]), _finite_list(values.ravel()))


def _marked(wrong: np.ndarray, cells) -> list[int]:
    flags = wrong.astype(_float64)
    if cells[2] * cells[3] > 1:
        flags = _blocks(flags, cells)
        flags = _where(_isnan(flags), 0.0, flags).max(axis=2)
    return [int(i) for i in _flatnonzero(flags.ravel() > 0)]


@contextlib.contextmanager
def _warnings_off() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an all-NaN padding block has no mean
        yield


# -- Figures for authors ------------------------------------------------------------------------

def line(title: str, series: Any, *, x: Any = None, x_label: str = "step", y_label: str = "",
         log_y: bool = False) -> Figure:
    """Draw curves: `series` is one sequence of numbers or a dict {name: sequence}; `x` their
    positions (0, 1, 2... by default). `log_y` starts the page on a log scale (it offers both).
    Curves longer than LINE_POINTS are thinned evenly, keeping the last point, with a note."""
    figure = Figure("line", _text(title, TITLE_LIMIT), x_label=_text(x_label, LABEL_LIMIT),
                    y_label=_text(y_label, LABEL_LIMIT), log_y=bool(log_y))
    named = series if isinstance(series, dict) else {"": series}
    arrays = {}
    for name, values in list(named.items())[:SERIES_LIMIT]:
        array = _numbers(values)
        if array is None or array.ndim != 1:
            return _show(_refused(figure, f"{name or 'the curve'} is not a list of numbers"))
        arrays[_text(name, LABEL_LIMIT)] = array
    length = max((len(a) for a in arrays.values()), default=0)
    positions = _numbers(x) if x is not None else _arange(length, dtype=_float64)
    if positions is None or positions.shape != (length,) or not _isfinite(positions).all():
        return _show(_refused(figure, "x does not give one finite position per value"))
    keep = _thinned(length, LINE_POINTS)
    figure.x = _finite_list(positions[keep])
    for name, array in arrays.items():
        padded = _full(length, _nan)
        padded[: len(array)] = array
        figure.series.append(Series(name, _finite_list(padded[keep])))
    if len(keep) < length:
        figure.note = f"{len(keep)} of {length} points drawn, evenly spaced."
    if len(named) > SERIES_LIMIT:
        figure.note = _text(f"{figure.note} The first {SERIES_LIMIT} of {len(named)} curves.",
                            NOTE_LIMIT).strip()
    return _show(figure)


def field(title: str, values: Any, *, x_range: tuple[float, float],
          y_range: tuple[float, float], points: Any = (), labels: Any = (),
          level: float | None = 0.5, x_label: str = "x₁", y_label: str = "x₂") -> Figure:
    """Draw `values` (rows x cols, row 0 at y_range[0], column 0 at x_range[0]) over the plane,
    the boundary where they cross `level`, and `points` (n x 2) on top, marked by `labels`."""
    figure = Figure("field", _text(title, TITLE_LIMIT), x_label=_text(x_label, LABEL_LIMIT),
                    y_label=_text(y_label, LABEL_LIMIT))
    grid, xs, ys = _numbers(values), _numbers(x_range), _numbers(y_range)
    if grid is None or grid.ndim != 2 or grid.size == 0:
        return _show(_refused(figure, "the values are not a 2-D array of numbers"))
    if xs is None or ys is None or xs.shape != (2,) or ys.shape != (2,) \
            or not (_isfinite(xs).all() and _isfinite(ys).all()):
        return _show(_refused(figure, "x_range and y_range must be two finite numbers each"))
    cells, summary = _summarised(grid.shape)
    figure.grid = _grid(grid, cells, "mean")
    figure.x_range, figure.y_range = _finite_list(xs), _finite_list(ys)
    figure.level = _number(level) if level is not None else None
    where, classes = _numbers(points), _numbers(labels)
    if where is not None and where.size:
        if where.ndim != 2 or where.shape[1] != 2 or classes is None \
                or classes.shape != (len(where),):
            return _show(_refused(figure, "points must be n x 2, with one label each"))
        for (px, py), label in list(zip(where, classes))[:POINTS_LIMIT]:
            if math.isfinite(px) and math.isfinite(py) and math.isfinite(label):
                figure.points.append(Point(_number(px), _number(py), int(label)))
        if len(where) > POINTS_LIMIT:
            summary = f"{summary} The first {POINTS_LIMIT} of {len(where)} points.".strip()
    figure.note = _text(summary, NOTE_LIMIT)
    return _show(figure)


def bars(title: str, categories: Any, series: Any, *, y_label: str = "") -> Figure:
    """Draw bars: one group per category, one bar per entry of `series` ({name: values})."""
    figure = Figure("bars", _text(title, TITLE_LIMIT), y_label=_text(y_label, LABEL_LIMIT))
    names = [_text(str(c), LABEL_LIMIT) for c in list(categories)[:BARS_LIMIT]]
    figure.categories = names
    for name, values in list(series.items())[:SERIES_LIMIT]:
        array = _numbers(values)
        if array is None or array.ndim != 1 or len(array) != len(list(categories)):
            return _show(_refused(figure, f"{name} does not give one number per category"))
        figure.series.append(Series(_text(name, LABEL_LIMIT), _finite_list(array[:BARS_LIMIT])))
    if len(list(categories)) > BARS_LIMIT:
        figure.note = f"The first {BARS_LIMIT} of {len(list(categories))} categories."
    return _show(figure)


def not_drawn(kind: str, title: str, why: str) -> Figure:
    """Show a figure's title with a note saying why it could not be drawn this time."""
    return _show(_refused(Figure(kind if kind in KINDS else "line", _text(title, TITLE_LIMIT)),
                          why))


def _refused(figure: Figure, why: str) -> Figure:
    """The figure with nothing to draw and a note saying why."""
    kept = Figure(figure.kind, figure.title, x_label=figure.x_label, y_label=figure.y_label)
    kept.note = _text(f"Not drawn: {why}.", NOTE_LIMIT)
    return kept


def _show(figure: Figure) -> Figure:
    if FigureLog.figures is not None:
        FigureLog.figures.append(figure)
    return figure


def _numbers(values: Any) -> np.ndarray | None:
    """`values` as a float array, or None when they are not numbers."""
    try:
        array = _asarray(values)
        if array.dtype.kind not in "biuf":
            return None
        return array.astype(_float64)
    except (TypeError, ValueError):
        return None


def _thinned(length: int, limit: int) -> np.ndarray:
    if length <= limit:
        return _arange(length)
    # Steps of more than 1 round to distinct indices. (np.unique would import numpy.ma, which
    # guard.restore then takes off NumPy's namespace, breaking its next lazy import.)
    return _linspace(0, length - 1, limit).round().astype(int)


def _finite_list(values) -> list[float | None]:
    return [_number(v) for v in values.tolist()]


def _number(value: Any) -> float | None:
    """A finite number at the precision a picture needs (6 significant digits), or None."""
    value = float(value)
    return float(f"{value:.6g}") if math.isfinite(value) else None


def _text(value: Any, limit: int) -> str:
    text = value if type(value) is str else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- Validation, before anything leaves the harness ---------------------------------------------

def validated(figures: list) -> list[Figure]:
    """The figures that hold, rebuilt from checked parts; anything else is refused."""
    kept = []
    for figure in figures[:FIGURES_PER_CHECK] if type(figures) is list else []:
        try:
            kept.append(_checked(figure, (Figure,)))
        except _Refused:
            continue
    return kept


def validated_picture(picture: Any) -> ArrayPicture | None:
    """The picture rebuilt from checked parts, or None when it does not hold."""
    try:
        return None if picture is None else _checked(picture, (ArrayPicture,))
    except _Refused:
        return None


class _Refused(Exception):
    pass


_INT, _NUMBER, _FINITE, _LABEL = ("int",), ("number",), ("finite",), ("text", LABEL_LIMIT)
_CELLS = GRID_LIMIT * GRID_LIMIT
# What each field may hold: a checker per field, applied by _checked.
_SCHEMA = {
    Grid: {"rows": _INT, "cols": _INT, "values": ("list", _NUMBER, _CELLS)},
    Series: {"name": _LABEL, "values": ("list", _NUMBER, LINE_POINTS)},
    Point: {"x": _FINITE, "y": _FINITE, "label": _INT},
    ArrayPicture: {
        "name": _LABEL, "kind": ("one of", ("values", "shape")),
        "layout": ("one of", ("bars", "heatmap")), "expected_shape": ("list", _INT, 32),
        "actual_shape": ("list", _INT, 32), "wrong": _INT, "size": _INT,
        "expected": (Grid,), "actual": (Grid,), "difference": ("or None", (Grid,)),
        "marked": ("list", _INT, _CELLS), "scale": _FINITE, "note": ("text", NOTE_LIMIT)},
    Figure: {
        "kind": ("one of", KINDS), "title": ("text", TITLE_LIMIT), "note": ("text", NOTE_LIMIT),
        "x_label": _LABEL, "y_label": _LABEL, "log_y": ("one of", (False, True)),
        "x": ("list", _FINITE, LINE_POINTS), "series": ("list", (Series,), SERIES_LIMIT),
        "categories": ("list", _LABEL, BARS_LIMIT), "grid": ("or None", (Grid,)),
        "x_range": ("list", _FINITE, 2), "y_range": ("list", _FINITE, 2),
        "level": ("or None", _FINITE), "points": ("list", (Point,), POINTS_LIMIT)},
}


def _require(condition: bool) -> None:
    if not condition:
        raise _Refused


def _checked(value: Any, spec: tuple) -> Any:
    """`value` rebuilt as `spec` says it may be (exact types, finite numbers, sizes within
    their caps, text cut), or _Refused."""
    kind = spec[0]
    if kind == "int":
        _require(type(value) is int and 0 <= value < 2**53)
    elif kind in ("number", "finite"):
        _require((value is None and kind == "number")
                 or (type(value) is float and math.isfinite(value)))
    elif kind == "text":
        _require(type(value) is str)
        value = _text(value, spec[1])
    elif kind == "one of":
        _require(any(value is option or (type(value) is str and value == option)
                     for option in spec[1]))
    elif kind == "or None":
        value = None if value is None else _checked(value, spec[1])
    elif kind == "list":
        _require(type(value) is list and len(value) <= spec[2])
        value = [_checked(item, spec[1]) for item in value]
    else:
        _require(type(value) is kind)
        value = kind(**{name: _checked(getattr(value, name), field)
                        for name, field in _SCHEMA[kind].items()})
        _require(_consistent(value))
    return value


def _consistent(value: Any) -> bool:
    """What holds between fields: a grid's values fill it (an outline alone may be of any size,
    values come GRID_LIMIT a side at most), curves and bars have a value per x or category."""
    if type(value) is Grid:
        return not value.values or (value.rows <= GRID_LIMIT and value.cols <= GRID_LIMIT
                                    and len(value.values) == value.rows * value.cols)
    if type(value) is Figure:
        size = {"line": len(value.x), "bars": len(value.categories)}.get(value.kind)
        return size is None or all(len(series.values) == size for series in value.series)
    return True
