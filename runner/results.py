"""The one results contract shared by the harness, the worker, the page and the tests."""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = 1


class Status(str, enum.Enum):
    """Outcome of one test, and of a whole run."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    TIMEOUT = "timeout"


@dataclass
class LearnerError:
    """An exception raised by the learner's code, located in the learner's source."""

    type: str
    message: str
    line: int | None
    traceback: str


@dataclass
class Comparison:
    """An example's values, as text: its inputs, the expected outputs and the learner's."""

    inputs: dict[str, str]
    expected: dict[str, str]
    actual: dict[str, str] = field(default_factory=dict)


@dataclass
class Grid:
    """A grid of numbers as drawn: `rows` x `cols` values, row by row; None where an entry is
    not a finite number; no values at all when only the grid's outline is drawn."""

    rows: int
    cols: int
    values: list[float | None] = field(default_factory=list)


@dataclass
class ArrayPicture:
    """A failed comparison of arrays, as the page draws it (runner/figures.py makes it).

    `kind` is "values" (same shapes, some entries wrong: `expected`, `actual` and `difference`
    on one colour scale from -`scale` to `scale`, `marked` the flat indices of drawn cells
    holding a wrong entry) or "shape" (the two shapes to scale, filled where values are known).
    `layout` is "bars" (a 1-D value) or "heatmap". `wrong` counts the wrong entries; for a shape
    mismatch it is the expected value's size, since no entry can be compared. `note` says how a
    large array was summarised, or what a shape mismatch looks like (a transpose, say).
    """

    name: str
    kind: str
    layout: str
    expected_shape: list[int]
    actual_shape: list[int]
    wrong: int
    size: int
    expected: Grid
    actual: Grid
    difference: Grid | None = None
    marked: list[int] = field(default_factory=list)
    scale: float = 0.0
    note: str = ""


@dataclass
class Series:
    """One curve of a line figure, or one colour of bars: a name and its values (None: a gap)."""

    name: str
    values: list[float | None]


@dataclass
class Point:
    """A point drawn over a field figure, marked by its class `label`."""

    x: float
    y: float
    label: int


@dataclass
class Figure:
    """A figure a test or an example made (runner/figures.py: line, field, bars).

    "line": `series` over `x` (a loss per step), on a log scale first when `log_y`; "field":
    `grid` of values over the plane `x_range` x `y_range` (row 0 at the bottom), the boundary
    where it crosses `level`, and `points` on top; "bars": one bar per category in `categories`
    for each of `series`. `note` says what was cut, or why nothing is drawn.
    """

    kind: str
    title: str
    note: str = ""
    x_label: str = ""
    y_label: str = ""
    log_y: bool = False
    x: list[float] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    grid: Grid | None = None
    x_range: list[float] = field(default_factory=list)
    y_range: list[float] = field(default_factory=list)
    level: float | None = None
    points: list[Point] = field(default_factory=list)


@dataclass
class TestResult:
    """Outcome of one hidden test or example.

    `hint` is set when the learner's answer matches a known mistake of the problem;
    `comparison` is set for examples, whose values the learner may see; `picture` is set when
    a comparison of arrays failed; `figures` are what the test or example drew.
    """

    name: str
    status: Status
    message: str = ""
    output: str = ""
    duration_ms: float = 0.0
    error: LearnerError | None = None
    hint: str = ""
    comparison: Comparison | None = None
    picture: ArrayPicture | None = None
    figures: list[Figure] = field(default_factory=list)


@dataclass
class PartResult:
    """The learner's code for an earlier problem that a run imported, graded on that problem's
    own hidden tests: `status` is that run's, `missing` that the learner has not written it."""

    module: str
    slug: str
    title: str
    status: Status
    passed: int
    total: int
    message: str
    missing: bool = False


@dataclass
class LensEntry:
    """What one line of the learner's code produced in the recorded call: its names and shapes
    as text (`dW (5, 3) float64`, `→ dx (4, 3), dW (3, 5), db (5,)`), how many times the line ran,
    and `more` when recording stopped counting it (a loop past the cap: `count` is a floor)."""

    line: int
    text: str
    count: int = 1
    more: bool = False


@dataclass
class Lens:
    """The shape lens: each executed line of one call of the learner's function, recorded.

    `check` names the hidden test or example whose first call it is, and `why` says why that
    one was chosen: "first failing test", "first test" (all passed) or "first example".
    """

    check: str
    why: str
    entries: list[LensEntry] = field(default_factory=list)


@dataclass
class Results:
    """Outcome of one run of the hidden tests (kind "tests") or of the examples ("examples")."""

    status: Status
    tests: list[TestResult]
    kind: str = "tests"
    output: str = ""
    output_truncated: bool = False
    error: LearnerError | None = None
    parts: list[PartResult] = field(default_factory=list)
    lens: Lens | None = None
    version: int = field(default=SCHEMA_VERSION)

    def to_json(self) -> str:
        """Serialise to the versioned JSON the worker posts to the page."""
        return json.dumps(asdict(self))


def overall_status(tests: list[TestResult], error: LearnerError | None) -> Status:
    """Summarise a run: an error loading the code, a timeout, any failure, or a pass."""
    if error is not None:
        return Status.ERROR
    statuses = {test.status for test in tests}
    if Status.TIMEOUT in statuses:
        return Status.TIMEOUT
    if statuses <= {Status.PASS}:
        return Status.PASS
    if Status.ERROR in statuses and Status.FAIL not in statuses:
        return Status.ERROR
    return Status.FAIL
