"""Hidden tests for "Sigmoid backward".

Inputs are random from fixed seeds, with B different from the number of features, so an answer
that transposes or broadcasts along the wrong axis cannot have the right shape by accident.
grad_out is random (never all ones), so forgetting it shows. The stability test mixes huge
inputs of both signs (|x| up to 1000) with moderate ones and fails on any RuntimeWarning, NaN or
inf. `call` hands the learner copies and fails if grad_out or x was changed in place;
expectations come from the test's own formula, sigma'(x) = e^-|x| / (1 + e^-|x|)^2, which is
exact and cannot overflow.
"""

import warnings

import numpy as np

from runner.checks import Failure, as_numeric_array, call, expect_close, expect_shape, hidden_test

RTOL, ATOL = 1e-7, 1e-12
REFERENCE = "grad_out * s * (1 - s) with s = sigmoid(x)"


def make_inputs(seed, shape, scale=3.0):
    """Return (grad_out, x) of `shape` drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), scale * rng.standard_normal(shape)


def expected(grad_out, x):
    z = np.exp(-np.abs(x))
    return grad_out * z / (1.0 + z) ** 2


def gradient(sigmoid_backward, grad_out, x):
    return as_numeric_array("dx", call(sigmoid_backward, grad_out, x))


@hidden_test("Returns an array with the shape of x (B, features)")
def test_shape(sigmoid_backward):
    grad_out, x = make_inputs(seed=1, shape=(5, 3))
    expect_shape("dx", gradient(sigmoid_backward, grad_out, x), (5, 3), "x's shape (B, features)")


@hidden_test("dx matches grad_out * s * (1 - s) with s = sigmoid(x)")
def test_values(sigmoid_backward):
    grad_out, x = make_inputs(seed=2, shape=(4, 6))
    expect_close("dx", gradient(sigmoid_backward, grad_out, x), expected(grad_out, x),
                 atol=ATOL, rtol=RTOL, reference=REFERENCE)


@hidden_test("At x = 0 the gradient is grad_out / 4")
def test_at_zero(sigmoid_backward):
    grad_out, _ = make_inputs(seed=3, shape=(3, 2))
    x = np.zeros((3, 2))
    expect_close("dx", gradient(sigmoid_backward, grad_out, x), grad_out / 4.0,
                 atol=ATOL, rtol=RTOL, reference="grad_out / 4 (sigmoid(0) = 0.5)")


@hidden_test("Large inputs (|x| up to 1000): no overflow RuntimeWarning, no NaN")
def test_large_inputs(sigmoid_backward):
    x = np.array([[-1000.0, -800.0, -710.0, -40.0, -2.0, 0.0],
                  [2.0, 20.0, 40.0, 710.0, 800.0, 1000.0]])
    grad_out = np.random.default_rng(4).standard_normal(x.shape)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dx = gradient(sigmoid_backward, grad_out, x)
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if runtime:
        raise Failure(
            f"Computing your gradient gave a RuntimeWarning, {runtime[0].message} for x with entries "
            "from -1000 to 1000. np.exp of a large positive number overflows (np.exp(1000) is "
            "inf): compute s = sigmoid(x) with a stable sigmoid, which only ever exponentiates "
            "-|x|, and then use s * (1 - s).",
            "dx",
        )
    expect_close("dx", dx, expected(grad_out, x), atol=ATOL, rtol=RTOL,
                 reference=REFERENCE + " (about 0 where |x| is large)")


@hidden_test("1-D input (features,) works entry by entry")
def test_one_dimensional(sigmoid_backward):
    grad_out, x = make_inputs(seed=5, shape=(7,))
    expect_close("dx", gradient(sigmoid_backward, grad_out, x), expected(grad_out, x),
                 atol=ATOL, rtol=RTOL, reference=REFERENCE)


@hidden_test("Larger batch with a wide range of x: gradient still correct")
def test_larger_batch(sigmoid_backward):
    grad_out, x = make_inputs(seed=6, shape=(32, 5), scale=8.0)
    expect_close("dx", gradient(sigmoid_backward, grad_out, x), expected(grad_out, x),
                 atol=ATOL, rtol=RTOL, reference=REFERENCE)


@hidden_test("grad_out and x are left unchanged")
def test_inputs_unchanged(sigmoid_backward):
    grad_out, x = make_inputs(seed=7, shape=(6, 4))
    # `call` fails if either array was written into; the values are checked too.
    expect_close("dx", gradient(sigmoid_backward, grad_out, x), expected(grad_out, x),
                 atol=ATOL, rtol=RTOL, reference=REFERENCE)
