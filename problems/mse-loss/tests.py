"""Hidden tests for "Mean squared error loss".

pred and target are random from fixed seeds, with the batch size B and the number of features
always different (B=4 and 3 features, so N = 12 is neither B nor the feature count): a loss that
averages over the batch only, or a dpred divided by B, cannot pass by accident. A 1-D vector and
a (1, 1) array check that the function works for any shape, and a finite-difference test checks
dpred against the loss itself. `call` hands the learner copies, so the expectations below are
always computed from untouched inputs.
"""

import numpy as np

from runner.checks import (
    Failure,
    call,
    central_difference,
    expect_close,
    expect_scalar,
    expect_shape,
    hidden_test,
    unpack,
)

RETURNS = ("loss", "dpred")


def make_inputs(seed, shape):
    """Return (pred, target) of the given shape, drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng.standard_normal(shape)


def results(mse_loss, pred, target):
    """Call the learner's function; return (loss, dpred) as arrays, in the right order."""
    return unpack(call(mse_loss, pred, target), RETURNS, scalars=("loss",))


def expect_scalar_loss(loss):
    expect_scalar("loss", loss, "the mean runs over every entry of (pred - target) ** 2 at "
                                "once, with no axis argument")


def expected_loss(pred, target):
    return np.mean((pred - target) ** 2)


def expected_dpred(pred, target):
    return 2.0 * (pred - target) / pred.size


def check_loss(loss, dpred, pred, target):
    """Compare the scalar loss with the mean over every entry, in one readable sentence."""
    expect_scalar_loss(loss)
    want = float(expected_loss(pred, target))
    got = float(loss)
    if not np.isfinite(got) or abs(got - want) > 1e-8 + 1e-5 * abs(want):
        raise Failure(
            f"loss is {got:.6g} but should be {want:.6g}, the mean of (pred - target) ** 2 over "
            f"all N = {pred.size} entries of pred (shape {pred.shape}).",
            "loss",
        )


def check_dpred(dpred, pred, target):
    expect_close(
        "dpred",
        dpred,
        expected_dpred(pred, target),
        reference=f"2 * (pred - target) / N with N = pred.size = {pred.size}",
    )


@hidden_test("Returns a scalar loss and a dpred shaped like pred")
def test_shapes(mse_loss):
    pred, target = make_inputs(seed=1, shape=(4, 3))
    loss, dpred = results(mse_loss, pred, target)
    expect_scalar_loss(loss)
    expect_shape("dpred", dpred, (4, 3), "pred's shape (B, features)")


@hidden_test("loss is the mean of (pred - target)^2 over every entry")
def test_loss(mse_loss):
    pred, target = make_inputs(seed=2, shape=(4, 3))
    loss, dpred = results(mse_loss, pred, target)
    check_loss(loss, dpred, pred, target)


@hidden_test("dpred equals 2 (pred - target) / N")
def test_dpred(mse_loss):
    pred, target = make_inputs(seed=3, shape=(4, 3))
    _, dpred = results(mse_loss, pred, target)
    check_dpred(dpred, pred, target)


@hidden_test("dpred matches the finite-difference gradient of the loss")
def test_dpred_numerical(mse_loss):
    pred, target = make_inputs(seed=4, shape=(3, 5))
    _, dpred = results(mse_loss, pred, target)
    expect_close(
        "dpred",
        dpred,
        numerical_dpred(pred, target),
        atol=1e-6,
        rtol=0.0,
        reference="the central-difference gradient of mean((pred - target) ** 2)",
    )


@hidden_test("Works on 1-D pred and target")
def test_vector(mse_loss):
    pred, target = make_inputs(seed=5, shape=(7,))
    loss, dpred = results(mse_loss, pred, target)
    check_loss(loss, dpred, pred, target)
    check_dpred(dpred, pred, target)


@hidden_test("A single value of shape (1, 1)")
def test_single_value(mse_loss):
    pred, target = np.array([[2.5]]), np.array([[-0.5]])
    loss, dpred = results(mse_loss, pred, target)
    check_loss(loss, dpred, pred, target)  # (2.5 - (-0.5))^2 = 9
    check_dpred(dpred, pred, target)  # 2 * 3 / 1 = 6


@hidden_test("Larger batch: loss and dpred still correct")
def test_larger_batch(mse_loss):
    pred, target = make_inputs(seed=7, shape=(32, 5))
    loss, dpred = results(mse_loss, pred, target)
    check_loss(loss, dpred, pred, target)
    check_dpred(dpred, pred, target)


def numerical_dpred(pred, target):
    """Central differences of L(pred) = mean((pred - target) ** 2), entry by entry."""
    return central_difference(lambda p: expected_loss(p, target), pred)
