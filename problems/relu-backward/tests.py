"""Hidden tests for "ReLU backward".

Inputs are random from fixed seeds, with B different from the number of features, so an answer
that transposes or broadcasts along the wrong axis cannot have the right shape by accident.
Several inputs contain exact zeros, where the gradient must be 0 (PyTorch's convention), and
random signs in grad_out, so that masking by grad_out instead of x shows. `call` hands the
learner copies and fails if grad_out or x was changed in place; expectations are computed from
the test's own untouched inputs.
"""

import numpy as np

from runner.checks import as_numeric_array, call, expect_close, expect_shape, hidden_test


def make_inputs(seed, shape, zeros=0):
    """Return (grad_out, x) of `shape`, with `zeros` entries of x set to exactly 0."""
    rng = np.random.default_rng(seed)
    grad_out = rng.standard_normal(shape)
    x = rng.standard_normal(shape)
    if zeros:
        flat = x.reshape(-1)
        flat[rng.choice(flat.size, size=zeros, replace=False)] = 0.0
    return grad_out, x


def gradient(relu_backward, grad_out, x):
    return as_numeric_array("dx", call(relu_backward, grad_out, x))


def expected(grad_out, x):
    return np.where(x > 0, grad_out, 0.0)


@hidden_test("Returns an array with the shape of x (B, features)")
def test_shape(relu_backward):
    grad_out, x = make_inputs(seed=1, shape=(5, 3))
    expect_shape("dx", gradient(relu_backward, grad_out, x), (5, 3), "x's shape (B, features)")


@hidden_test("dx equals grad_out where x > 0 and 0 where x < 0")
def test_values(relu_backward):
    grad_out, x = make_inputs(seed=2, shape=(4, 6))
    expect_close("dx", gradient(relu_backward, grad_out, x), expected(grad_out, x),
                 reference="grad_out * (x > 0)")


@hidden_test("The gradient at the kink x == 0 is 0")
def test_kink(relu_backward):
    grad_out, x = make_inputs(seed=3, shape=(3, 7), zeros=8)
    grad_out[x == 0] = np.abs(grad_out[x == 0]) + 1.0  # large, positive: must still be blocked
    expect_close("dx", gradient(relu_backward, grad_out, x), expected(grad_out, x),
                 reference="grad_out * (x > 0), which is 0 wherever x == 0")


@hidden_test("All-negative input: the gradient is zero everywhere")
def test_all_negative(relu_backward):
    grad_out, x = make_inputs(seed=4, shape=(6, 2))
    x = -np.abs(x) - 0.1
    expect_close("dx", gradient(relu_backward, grad_out, x), np.zeros_like(x),
                 reference="all zeros (every x is negative)")


@hidden_test("All-positive input: grad_out passes through unchanged")
def test_all_positive(relu_backward):
    grad_out, x = make_inputs(seed=5, shape=(2, 5))
    x = np.abs(x) + 0.1
    expect_close("dx", gradient(relu_backward, grad_out, x), grad_out.copy(),
                 reference="grad_out itself (every x is positive)")


@hidden_test("1-D input (features,) works entry by entry")
def test_one_dimensional(relu_backward):
    grad_out, x = make_inputs(seed=16, shape=(11,), zeros=2)
    expect_close("dx", gradient(relu_backward, grad_out, x), expected(grad_out, x),
                 reference="grad_out * (x > 0)")


@hidden_test("grad_out and x are left unchanged")
def test_inputs_unchanged(relu_backward):
    grad_out, x = make_inputs(seed=7, shape=(8, 4), zeros=5)
    # `call` fails if either array was written into; the values are checked too.
    expect_close("dx", gradient(relu_backward, grad_out, x), expected(grad_out, x),
                 reference="grad_out * (x > 0)")
