"""Hidden tests for "Linear backward (chain rule)".

Inputs are random with B, in and out all different, so a product with the wrong operand
transposed cannot produce the right shape by accident. `call` hands the learner copies, so the
expectations below are always computed from untouched inputs.
"""

import numpy as np

from runner.checks import (
    call,
    central_difference,
    expect_close,
    expect_shape,
    hidden_test,
    unpack,
)

GRADIENTS = ("dx", "dW", "db")


def make_inputs(seed, batch, n_in, n_out):
    """Return (grad_out, x, W) drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    grad_out = rng.standard_normal((batch, n_out))
    x = rng.standard_normal((batch, n_in))
    W = rng.standard_normal((n_in, n_out))
    return grad_out, x, W


def gradients(linear_backward, grad_out, x, W):
    """Call the learner's function and return its three gradients as arrays."""
    return unpack(call(linear_backward, grad_out, x, W), GRADIENTS)


@hidden_test("Returns three arrays with correct shapes")
def test_shapes(linear_backward):
    grad_out, x, W = make_inputs(seed=1, batch=4, n_in=3, n_out=5)
    dx, dW, db = gradients(linear_backward, grad_out, x, W)
    expect_shape("dx", dx, (4, 3), "(B, in)")
    expect_shape("dW", dW, (3, 5), "(in, out)")
    expect_shape("db", db, (5,), "(out,)")


@hidden_test("dx matches grad_out @ W.T")
def test_dx(linear_backward):
    grad_out, x, W = make_inputs(seed=2, batch=4, n_in=3, n_out=5)
    dx, _, _ = gradients(linear_backward, grad_out, x, W)
    expect_close("dx", dx, grad_out @ W.T, reference="grad_out @ W.T")


@hidden_test("dW matches x.T @ grad_out")
def test_dW(linear_backward):
    grad_out, x, W = make_inputs(seed=3, batch=4, n_in=3, n_out=5)
    _, dW, _ = gradients(linear_backward, grad_out, x, W)
    expect_close("dW", dW, x.T @ grad_out, reference="x.T @ grad_out")


@hidden_test("db sums grad_out over the batch dimension")
def test_db(linear_backward):
    grad_out, x, W = make_inputs(seed=4, batch=4, n_in=3, n_out=5)
    _, _, db = gradients(linear_backward, grad_out, x, W)
    expect_close("db", db, grad_out.sum(axis=0), reference="grad_out.sum(axis=0)")


@hidden_test("dW matches finite-difference numerical gradient")
def test_dW_numerical(linear_backward):
    grad_out, x, W = make_inputs(seed=5, batch=3, n_in=4, n_out=2)
    b = np.zeros(W.shape[1])
    _, dW, _ = gradients(linear_backward, grad_out, x, W)
    expect_close(
        "dW",
        dW,
        numerical_dW(grad_out, x, W, b),
        atol=1e-3,
        rtol=0.0,
        reference="the central-difference gradient of L = sum(grad_out * (x @ W + b))",
    )


@hidden_test("Larger batch shape: gradients still correct")
def test_larger_batch(linear_backward):
    grad_out, x, W = make_inputs(seed=6, batch=64, n_in=7, n_out=3)
    dx, dW, db = gradients(linear_backward, grad_out, x, W)
    expect_close("dx", dx, grad_out @ W.T, reference="grad_out @ W.T")
    expect_close("dW", dW, x.T @ grad_out, reference="x.T @ grad_out")
    expect_close("db", db, grad_out.sum(axis=0), reference="grad_out.sum(axis=0)")


def numerical_dW(grad_out, x, W, b):
    """Central differences of L(W) = sum(grad_out * (x @ W + b)), entry by entry."""
    return central_difference(lambda weights: float(np.sum(grad_out * (x @ weights + b))), W)
