"""Hidden tests for "Linear forward".

Inputs are random with B, in and out all different, so that a transposed product cannot have
the right shape by accident.
"""

import numpy as np

from runner.checks import as_numeric_array, call, expect_close, expect_shape, hidden_test


def make_inputs(seed, batch, n_in, n_out):
    """Return (x, W, b) drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((batch, n_in)), rng.standard_normal((n_in, n_out)),
            rng.standard_normal(n_out))


def output(linear_forward, x, W, b):
    return as_numeric_array("y", call(linear_forward, x, W, b))


@hidden_test("Returns an array of shape (B, out)")
def test_shape(linear_forward):
    x, W, b = make_inputs(seed=1, batch=4, n_in=3, n_out=5)
    expect_shape("y", output(linear_forward, x, W, b), (4, 5), "(B, out)")


@hidden_test("y matches x @ W + b")
def test_values(linear_forward):
    x, W, b = make_inputs(seed=2, batch=4, n_in=3, n_out=5)
    expect_close("y", output(linear_forward, x, W, b), x @ W + b, reference="x @ W + b")


@hidden_test("The bias is added to every row")
def test_bias(linear_forward):
    x, W, b = make_inputs(seed=3, batch=6, n_in=2, n_out=3)
    x[:] = 0.0
    expect_close("y", output(linear_forward, x, W, b), np.tile(b, (6, 1)),
                 reference="b on every row (x is all zeros here)")


@hidden_test("Larger batch shape: output still correct")
def test_larger_batch(linear_forward):
    x, W, b = make_inputs(seed=4, batch=64, n_in=7, n_out=3)
    expect_close("y", output(linear_forward, x, W, b), x @ W + b, reference="x @ W + b")


@hidden_test("A batch of one (B=1): y keeps its batch axis, shape (1, out)")
def test_batch_of_one(linear_forward):
    x, W, b = make_inputs(seed=5, batch=1, n_in=4, n_out=3)
    y = output(linear_forward, x, W, b)
    expect_shape("y", y, (1, 3), "(B, out)")
    expect_close("y", y, x @ W + b, reference="x @ W + b")


@hidden_test("x, W and b are left unchanged")
def test_inputs_unchanged(linear_forward):
    x, W, b = make_inputs(seed=6, batch=5, n_in=2, n_out=4)
    # `call` fails if any input was written into; the values are checked as well.
    expect_close("y", output(linear_forward, x, W, b), x @ W + b, reference="x @ W + b")
