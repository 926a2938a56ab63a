"""Hidden tests for "Softmax".

Batches have B rows and C classes with B != C (4 x 5, 6 x 3...), so a softmax over the wrong
axis gives wrong values and a sum without keepdims cannot broadcast. One test feeds logits of
size 1e3, including a row near -1e3 next to a row near +1e3 and a row of zeros: a softmax without
the max subtraction overflows, and one that subtracts the max of the whole array instead of each
row's turns those rows into 0 / 0. A 1-D and a 3-D input check that softmax works over the LAST
axis whatever the number of dimensions. `call` hands the learner copies and fails if the function
changed its input; expectations are computed from the test's own untouched logits. Each example
draws its probabilities as bars, expected beside the learner's.
"""

import warnings

import numpy as np

from runner.checks import (
    Failure,
    as_numeric_array,
    call,
    expect_close,
    expect_shape,
    hidden_test,
)
from runner.figures import bars, example_figure

REFERENCE = "exp(logits) / sum(exp(logits)) over the last axis"


def expected_softmax(logits):
    """A stable softmax over the last axis."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def make_logits(seed, shape, scale=3.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def probabilities(softmax, logits):
    """Call the learner's softmax; return its result as an array."""
    return as_numeric_array("probs", call(softmax, logits))


@example_figure
def probabilities_as_bars(example):
    """The example's probabilities, expected and yours, one pair of bars per entry."""
    expected = example.expected["probs"]
    where = (f"class {j}" if expected.ndim == 1 else f"{i}, {j}"
             for i, j in (divmod(k, expected.shape[-1]) for k in range(expected.size)))
    yours = example.actual.get("probs")
    bars("Probabilities: expected and yours" + ("" if expected.ndim == 1 else " (row, class)"),
         list(where), {"expected": expected.ravel(), "yours": np.ravel(yours)})


@hidden_test("Matches exp(logits) / sum(exp(logits)) along each row")
def test_values(softmax):
    logits = make_logits(seed=1, shape=(4, 5))
    probs = probabilities(softmax, logits)
    expect_close("probs", probs, expected_softmax(logits), reference=REFERENCE)


@hidden_test("Every row sums to 1")
def test_rows_sum_to_one(softmax):
    logits = make_logits(seed=2, shape=(6, 3))
    probs = probabilities(softmax, logits)
    expect_shape("probs", probs, (6, 3), "logits' shape (B, C)")
    expect_close("probs.sum(axis=-1)", probs.sum(axis=-1), np.ones(6),
                 reference="1 (one total per row)")
    expect_close("probs", probs, expected_softmax(logits), reference=REFERENCE)


@hidden_test("Adding a constant to a row leaves its probabilities unchanged")
def test_shift_invariance(softmax):
    logits = make_logits(seed=3, shape=(5, 4))
    shifts = np.array([[40.0], [-25.0], [0.0], [7.5], [-3.0]])
    probs = probabilities(softmax, logits + shifts)
    expect_close(
        "probs",
        probs,
        expected_softmax(logits),
        reference="softmax of the same logits without the per-row constants",
    )


@hidden_test("Huge logits (size 1e3): finite results, no overflow warning")
def test_huge_logits(softmax):
    logits = np.array([
        [1000.0, 999.0, 998.0],
        [-1000.0, -1001.0, -999.0],
        [1000.0, -1000.0, 0.0],
        [0.0, 0.0, 0.0],
    ])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        returned = call(softmax, logits)
    probs = as_numeric_array("probs", returned)
    messages = sorted({str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)})
    if messages:
        said = "; ".join(f'"{text}"' for text in messages)
        raise Failure(
            f"On logits of size 1e3 (rows such as [1000, 999, 998] and [-1000, -1001, -999]) "
            f"NumPy warned: {said}. np.exp overflows above about 709 and underflows to 0 below "
            "about -745, so the exponentials must be taken of numbers that cannot overflow, "
            "with at least one exp(0) = 1 in every row."
        )
    expect_close("probs", probs, expected_softmax(logits), reference=REFERENCE)


@hidden_test("1-D logits: one vector of class scores")
def test_vector(softmax):
    logits = make_logits(seed=5, shape=(6,))
    probs = probabilities(softmax, logits)
    expect_close("probs", probs, expected_softmax(logits), reference=REFERENCE)


@hidden_test("3-D logits: softmax over the last axis")
def test_three_dimensions(softmax):
    logits = make_logits(seed=6, shape=(2, 3, 4))
    probs = probabilities(softmax, logits)
    expect_close("probs", probs, expected_softmax(logits), reference=REFERENCE)


@hidden_test("Leaves logits unchanged")
def test_input_unchanged(softmax):
    logits = make_logits(seed=7, shape=(3, 5), scale=10.0)
    probs = probabilities(softmax, logits)  # `call` fails if logits was changed in place
    expect_close("probs", probs, expected_softmax(logits), reference=REFERENCE)
