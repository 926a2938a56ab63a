"""Hidden tests for "MLP backward (the whole network)".

The loss is checked against the tests' own forward pass, and every gradient against central
differences of that loss, entry by entry, so any correct derivation passes and nothing depends on
the learner's parts. B, in, hidden and out are all different (4, 3, 5, 2), so a gradient with the
wrong operand transposed, a bias summed over the wrong axis or dW1 built from h instead of x has
the wrong shape; out > 1, so averaging over the batch only (1/B instead of 1/(B*out)) shows. One
test puts hidden pre-activations exactly at 0, where the gradient must be 0 (as in relu_backward).
`call` hands the learner copies, so the expectations are computed from untouched inputs.
"""

import numpy as np

from runner.checks import (
    Failure,
    as_numeric_array,
    call,
    central_difference,
    expect_close,
    expect_shape,
    hidden_test,
)

KEYS = ("W1", "b1", "W2", "b2")
MEANINGS = {"W1": "(in, hidden)", "b1": "(hidden,)", "W2": "(hidden, out)", "b2": "(out,)"}


def make_inputs(seed, batch=4, n_in=3, hidden=5, n_out=2):
    """Return (params, x, target) drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.standard_normal((n_in, hidden)),
        "b1": rng.standard_normal(hidden),
        "W2": rng.standard_normal((hidden, n_out)),
        "b2": rng.standard_normal(n_out),
    }
    x = rng.standard_normal((batch, n_in))
    target = rng.standard_normal((batch, n_out))
    return params, x, target


def forward_loss(params, x, target):
    """The tests' own forward pass: mean over every entry of (pred - target) ** 2."""
    h = np.maximum(x @ params["W1"] + params["b1"], 0.0)
    pred = h @ params["W2"] + params["b2"]
    return float(np.mean((pred - target) ** 2))


def numerical_grads(params, x, target):
    """Central differences of the loss for every entry of every parameter."""
    return {key: central_difference(
                lambda value, key=key: forward_loss({**params, key: value}, x, target), params[key])
            for key in KEYS}


def analytic_grads(params, x, target):
    """Backpropagation written out, with the ReLU's gradient taken as 0 where h_pre == 0."""
    h_pre = x @ params["W1"] + params["b1"]
    h = np.maximum(h_pre, 0.0)
    pred = h @ params["W2"] + params["b2"]
    dpred = 2.0 * (pred - target) / pred.size
    dh_pre = (dpred @ params["W2"].T) * (h_pre > 0)
    return {"W1": x.T @ dh_pre, "b1": dh_pre.sum(axis=0),
            "W2": h.T @ dpred, "b2": dpred.sum(axis=0)}


def result_of(mlp_backward, params, x, target):
    """Call the learner's function; return (loss as an array, grads as a dict of arrays)."""
    returned = call(mlp_backward, params, x, target)
    if returned is None:
        raise Failure("Expected a tuple (loss, grads), but your function returned None: "
                      "is a `return` missing?")
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        raise Failure(f"Expected a tuple (loss, grads), but your function returned "
                      f"{_describe(returned)}.")
    loss, grads = returned
    loss = as_numeric_array("loss", loss)
    if loss.size != 1:
        raise Failure(f"loss has shape {loss.shape}; expected a single number, the mean over "
                      f"every entry of (pred - target) ** 2.", "loss")
    return loss.reshape(()), gradient_dict(grads, params)


def gradient_dict(grads, params):
    """Check that grads is a dict with exactly the keys of params, shaped like them."""
    if not isinstance(grads, dict):
        raise Failure(f"grads should be a dict with the keys {', '.join(KEYS)} (like params), "
                      f"but your function returned {_describe(grads)}.", "grads")
    missing = [key for key in KEYS if key not in grads]
    extra = [repr(key) for key in grads if key not in KEYS]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected {', '.join(extra)}")
        raise Failure(f"grads must have exactly the keys {', '.join(KEYS)}, the keys of params; "
                      f"yours has {'; '.join(parts)}.", "grads")
    arrays = {}
    for key in KEYS:
        name = f'grads["{key}"]'
        arrays[key] = _as_grads(as_numeric_array, name, grads[key])
        _as_grads(expect_shape, name, arrays[key], params[key].shape,
                  f"the shape of params[\"{key}\"], {MEANINGS[key]}")
    return arrays


def expect_grads(grads, expected, keys, reference):
    """Compare the gradients named in `keys` with `expected`."""
    for key in keys:
        _as_grads(expect_close, f'grads["{key}"]', grads[key], expected[key],
                  atol=1e-6, rtol=1e-5, reference=reference)


def _as_grads(check, *args, **options):
    """Run a check; a failure is reported against the returned value `grads`."""
    try:
        return check(*args, **options)
    except Failure as failure:
        raise Failure(str(failure), "grads") from None


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a value of type {type(value).__name__}"


FINITE_DIFFERENCES = "the central-difference gradient of the loss"


@hidden_test("loss is the mean of (pred - target)^2 over every entry")
def test_loss(mlp_backward):
    params, x, target = make_inputs(seed=1)
    loss, _ = result_of(mlp_backward, params, x, target)
    expect_close("loss", loss, np.array(forward_loss(params, x, target)),
                 reference="mean((relu(x @ W1 + b1) @ W2 + b2 - target) ** 2)")


@hidden_test("grads has exactly the keys W1, b1, W2, b2, each shaped like its parameter")
def test_keys_and_shapes(mlp_backward):
    params, x, target = make_inputs(seed=2)
    result_of(mlp_backward, params, x, target)


@hidden_test("Output layer: dW2 and db2 match finite differences of the loss")
def test_output_layer(mlp_backward):
    params, x, target = make_inputs(seed=3)
    _, grads = result_of(mlp_backward, params, x, target)
    expect_grads(grads, numerical_grads(params, x, target), ("W2", "b2"), FINITE_DIFFERENCES)


@hidden_test("Hidden layer: dW1 and db1 match finite differences of the loss")
def test_hidden_layer(mlp_backward):
    params, x, target = make_inputs(seed=4)
    _, grads = result_of(mlp_backward, params, x, target)
    expect_grads(grads, numerical_grads(params, x, target), ("W1", "b1"), FINITE_DIFFERENCES)


@hidden_test("A batch of one (B=1): loss and every gradient")
def test_batch_of_one(mlp_backward):
    params, x, target = make_inputs(seed=5, batch=1, n_in=4, hidden=5, n_out=3)
    loss, grads = result_of(mlp_backward, params, x, target)
    expect_close("loss", loss, np.array(forward_loss(params, x, target)),
                 reference="mean((pred - target) ** 2)")
    expect_grads(grads, numerical_grads(params, x, target), KEYS, FINITE_DIFFERENCES)


@hidden_test("ReLU kink: hidden units with h_pre exactly 0 pass no gradient")
def test_kink(mlp_backward):
    params, x, target = kink_inputs()
    _, grads = result_of(mlp_backward, params, x, target)
    expect_grads(grads, analytic_grads(params, x, target), KEYS,
                 "backpropagation with the ReLU's gradient 0 where h_pre == 0")


@hidden_test("params, x and target are left unchanged")
def test_inputs_unchanged(mlp_backward):
    # `call` compares every array of params, x and target with a pristine copy after the call,
    # and fails naming the one that changed (such as params['W1'] when grads is params).
    params, x, target = make_inputs(seed=6)
    result_of(mlp_backward, params, x, target)


def kink_inputs():
    """Integer inputs and weights with several hidden pre-activations exactly 0."""
    x = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [2.0, 1.0, 0.0], [-1.0, 1.0, 1.0]])
    W1 = np.array([[1.0, -1.0, 2.0, 0.0, 1.0],
                   [2.0, 1.0, -1.0, 1.0, -2.0],
                   [-1.0, 1.0, 1.0, 2.0, 1.0]])
    linear = x @ W1
    # Unit j is exactly 0 on batch row j % 4; every other entry stays away from 0.
    b1 = -linear[np.arange(5) % 4, np.arange(5)]
    rng = np.random.default_rng(7)
    params = {"W1": W1, "b1": b1, "W2": rng.standard_normal((5, 2)),
              "b2": rng.standard_normal(2)}
    target = rng.standard_normal((4, 2))
    return params, x, target
