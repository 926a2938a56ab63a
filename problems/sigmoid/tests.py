"""Hidden tests for "Sigmoid, numerically stable".

Random inputs come from fixed seeds, in arrays whose dimensions all differ (2, 3, 4...), so an
answer that reshapes or reduces along an axis cannot pass by accident. The stability tests mix
huge inputs of both signs (|x| up to 1000) with moderate ones and fail on any RuntimeWarning,
NaN or inf; the precision test compares tiny outputs (down to sigmoid(-720)) relative to their
size, which catches clipping x. `call` hands the learner a copy of x and fails if it was
changed in place; expectations come from the test's own exact formula.
"""

import warnings

import numpy as np

from runner.checks import Failure, as_numeric_array, call, expect_close, expect_shape, hidden_test

# Exact to float64 precision: a stable formula is within a few ulps.
RTOL, ATOL = 1e-9, 1e-12

LARGE = np.array([-1000.0, -800.0, -710.0, -40.0, -20.0, 0.0, 20.0, 40.0, 710.0, 800.0, 1000.0])


def exact(x):
    """The sigmoid, computed without overflow and with full relative precision."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def output(sigmoid, x, name="sigmoid(x)"):
    return as_numeric_array(name, call(sigmoid, x))


def output_without_warnings(sigmoid, x):
    """Call the learner's sigmoid; fail if NumPy warned (overflow, invalid value) meanwhile."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = output(sigmoid, x)
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if runtime:
        raise Failure(
            f"Your sigmoid gave a RuntimeWarning, {runtime[0].message} on x = "
            f"[{', '.join(f'{v:g}' for v in x.ravel())}]. np.exp of a large positive number "
            "overflows (np.exp(1000) is inf): a stable sigmoid only ever exponentiates "
            "-|x|, which is at most 0.",
            "sigmoid(x)",
        )
    return s


@hidden_test("Matches 1 / (1 + exp(-x)) on random inputs")
def test_values(sigmoid):
    x = 4.0 * np.random.default_rng(1).standard_normal((5, 3))
    expect_close("sigmoid(x)", output(sigmoid, x), exact(x), atol=ATOL, rtol=RTOL,
                 reference="1 / (1 + exp(-x))")


@hidden_test("Works on any shape: 1-D, 2-D and 3-D")
def test_shapes(sigmoid):
    rng = np.random.default_rng(2)
    for shape in [(7,), (3, 5), (2, 3, 4)]:
        x = 3.0 * rng.standard_normal(shape)
        s = output(sigmoid, x)
        expect_shape("sigmoid(x)", s, shape, "x's shape")
        expect_close("sigmoid(x)", s, exact(x), atol=ATOL, rtol=RTOL,
                     reference=f"1 / (1 + exp(-x)) for x of shape {shape}")


@hidden_test("Large inputs (|x| up to 1000): exact values, no overflow warning")
def test_no_warning(sigmoid):
    x = LARGE.copy()
    s = output_without_warnings(sigmoid, x)
    expect_close("sigmoid(x)", s, exact(x), atol=ATOL, rtol=RTOL,
                 reference="the exact sigmoid (0.0 at -1000, 1.0 at 1000)")


@hidden_test("Large inputs give 0.0 and 1.0, never NaN or inf")
def test_large_values(sigmoid):
    x = np.array([[-1000.0, 1000.0, -750.0], [750.0, -45.0, 45.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are the previous test's business
        s = output(sigmoid, x)
    expect_close("sigmoid(x)", s, exact(x), atol=ATOL, rtol=RTOL,
                 reference="the exact sigmoid (0.0 at -1000, 1.0 at 1000)")


@hidden_test("Tiny outputs keep full precision (x from -720 to -40)")
def test_tiny_outputs(sigmoid):
    x = np.array([-40.0, -60.0, -100.0, -250.0, -500.0, -700.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = output(sigmoid, x)
        # Below x = -709.78, exp(-x) overflows to inf, and 1 / (1 + inf) is 0 where the
        # sigmoid is still about 1e-310. A browser's NumPy cannot warn of the overflow
        # (WebAssembly has no floating-point flags), so these values are what shows it.
        beyond = np.array([-712.0, -720.0])
        s_beyond = output(sigmoid, beyond)
    try:
        expect_close("sigmoid(x)", s, exact(x), atol=0.0, rtol=RTOL,
                     reference="the exact sigmoid, relative to its size")
    except Failure as failure:
        raise Failure(
            f"{failure} Outputs this small must still be right to ~9 digits: clipping x, or "
            "a formula that computes 1 - (something close to 1), rounds them away.",
            "sigmoid(x)",
        ) from None
    try:
        expect_close("sigmoid(x)", s_beyond, exact(beyond), atol=0.0, rtol=1e-6,
                     reference="the exact sigmoid at x = -712 and -720, about 1e-310")
    except Failure as failure:
        raise Failure(
            f"{failure} For x below -709.78, np.exp(-x) overflows to inf and 1 / (1 + inf) "
            "is 0: a stable sigmoid only ever exponentiates -|x|.",
            "sigmoid(x)",
        ) from None


@hidden_test("sigmoid(-x) equals 1 - sigmoid(x)")
def test_symmetry(sigmoid):
    x = 5.0 * np.random.default_rng(3).standard_normal((4, 6))
    s = output(sigmoid, x)
    s_negated = output(sigmoid, -x, "sigmoid(-x)")
    expect_shape("sigmoid(-x)", s_negated, x.shape, "x's shape")
    expect_close("sigmoid(-x)", s_negated, 1.0 - s.astype(np.float64), atol=ATOL, rtol=0.0,
                 reference="1 - sigmoid(x), from your own sigmoid(x)")


@hidden_test("Integer input gives a float array")
def test_integer_input(sigmoid):
    x = np.array([[-3, -1, 0], [1, 2, 3]])
    s = output(sigmoid, x)
    if not np.issubdtype(s.dtype, np.floating):
        raise Failure(
            f"sigmoid(x) has dtype {s.dtype} for the integer x {x.tolist()}: its values lie "
            "strictly between 0 and 1, so it must be a float array (np.zeros_like(x) or "
            "np.empty_like(x) copy x's integer dtype; use np.zeros(x.shape) or compute the "
            "result directly).",
            "sigmoid(x)",
        )
    expect_close("sigmoid(x)", s, exact(x.astype(np.float64)), atol=ATOL, rtol=RTOL,
                 reference="1 / (1 + exp(-x))")


@hidden_test("Input x is left unchanged")
def test_input_unchanged(sigmoid):
    x = np.concatenate([LARGE, 6.0 * np.random.default_rng(4).standard_normal(5)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = output(sigmoid, x)  # `call` fails if x was written into
    expect_close("sigmoid(x)", s, exact(x), atol=ATOL, rtol=RTOL, reference="1 / (1 + exp(-x))")
