"""Hidden tests for "SGD with momentum".

The parameters are W (3, 5), b (5,) and W2 (5, 2): every shape differs, so an entry of one dict
put under another's key cannot pass by accident. Values are random from fixed seeds, with a
velocity that is not zero unless a test says so, and lr and momentum that differ (so swapping
them shows). `call` hands the learner deep copies and fails if any array in params, grads or
velocity was changed, so the expectations below always come from untouched inputs; the test for
shared memory takes the copies the function was given (`call_with_inputs`) and checks that no
returned dict or array is one of them.
"""

import numpy as np

from runner.checks import (
    Failure,
    as_numeric_array,
    call,
    call_with_inputs,
    expect_close,
    expect_shape,
    hidden_test,
)

SHAPES = {"W": (3, 5), "b": (5,), "W2": (5, 2)}
NAMES = ("new_params", "new_velocity")


def make_inputs(seed, zero_velocity=False):
    """Return (params, grads, velocity): dicts of random arrays with the shapes of SHAPES."""
    rng = np.random.default_rng(seed)

    def draw():
        return {name: rng.standard_normal(shape) for name, shape in SHAPES.items()}

    params, grads, velocity = draw(), draw(), draw()
    if zero_velocity:
        velocity = {name: np.zeros(shape) for name, shape in SHAPES.items()}
    return params, grads, velocity


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a value of type {type(value).__name__}"


def expect_dict_like(name, value, like):
    """Fail unless `value` is a dict with exactly the keys of `like`, each a numeric array of
    the same shape; return it with its values as arrays."""
    if not isinstance(value, dict):
        raise Failure(
            f"{name} should be a dict (name -> array, like params), but is {describe(value)}.",
            name,
        )
    missing = [key for key in like if key not in value]
    extra = [key for key in value if key not in like]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"is missing {', '.join(repr(key) for key in missing)}")
        if extra:
            parts.append(f"has extra keys {', '.join(repr(key) for key in extra)}")
        raise Failure(
            f"{name} {' and '.join(parts)}: it must have exactly the keys of params "
            f"({', '.join(repr(key) for key in like)}).",
            name,
        )
    arrays = {}
    for key in like:
        label = f"{name}[{key!r}]"
        try:
            arrays[key] = as_numeric_array(label, value[key])
            expect_shape(label, arrays[key], np.shape(like[key]), f"the shape of params[{key!r}]")
        except Failure as failure:
            raise Failure(str(failure), name) from None
    return arrays


def step(sgd_momentum_step, params, grads, velocity, lr, momentum):
    """Call the learner's function; return (new_params, new_velocity) as dicts of arrays."""
    returned = call(sgd_momentum_step, params, grads, velocity, lr, momentum)
    return unpack_step(returned, params)


def unpack_step(returned, params):
    if returned is None:
        raise Failure("Expected a tuple (new_params, new_velocity), but your function returned "
                      "None: is a `return` missing?")
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        raise Failure("Expected a tuple (new_params, new_velocity) of two dicts, but your "
                      f"function returned {describe(returned)}.")
    return [expect_dict_like(name, value, params) for name, value in zip(NAMES, returned)]


def expect_entries(name, actual, expected, reference, **tolerance):
    """Compare two dicts of arrays entry by entry; the failure names the whole dict."""
    for key in expected:
        try:
            expect_close(f"{name}[{key!r}]", actual[key], expected[key],
                         reference=reference.format(key=repr(key)), **tolerance)
        except Failure as failure:
            raise Failure(str(failure), name) from None


def reference_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] + grads[k] for k in params}
    return {k: params[k] - lr * new_velocity[k] for k in params}, new_velocity


@hidden_test("Returns (new_params, new_velocity): two dicts with params' keys and shapes")
def test_structure(sgd_momentum_step):
    params, grads, velocity = make_inputs(seed=1)
    step(sgd_momentum_step, params, grads, velocity, 0.05, 0.9)


@hidden_test("One step: v_new = momentum * v + g, then p_new = p - lr * v_new")
def test_one_step(sgd_momentum_step):
    params, grads, velocity = make_inputs(seed=2)
    lr, momentum = 0.05, 0.9
    new_params, new_velocity = step(sgd_momentum_step, params, grads, velocity, lr, momentum)
    want_params, want_velocity = reference_step(params, grads, velocity, lr, momentum)
    expect_entries("new_params", new_params, want_params,
                   "params[{key}] - lr * (momentum * velocity[{key}] + grads[{key}])")
    expect_entries("new_velocity", new_velocity, want_velocity,
                   "momentum * velocity[{key}] + grads[{key}]")


@hidden_test("First step from zero velocity: v_new = g and p_new = p - lr * g")
def test_zero_velocity(sgd_momentum_step):
    params, grads, velocity = make_inputs(seed=3, zero_velocity=True)
    lr, momentum = 0.1, 0.9
    new_params, new_velocity = step(sgd_momentum_step, params, grads, velocity, lr, momentum)
    expect_entries("new_params", new_params, {k: params[k] - lr * grads[k] for k in params},
                   "params[{key}] - lr * grads[{key}]")
    expect_entries("new_velocity", new_velocity, grads,
                   "grads[{key}] (the velocity starts at zero)")


@hidden_test("momentum = 0 is plain SGD, whatever the old velocity")
def test_no_momentum(sgd_momentum_step):
    params, grads, velocity = make_inputs(seed=4)
    lr = 0.2
    new_params, new_velocity = step(sgd_momentum_step, params, grads, velocity, lr, 0.0)
    expect_entries("new_params", new_params, {k: params[k] - lr * grads[k] for k in params},
                   "params[{key}] - lr * grads[{key}] (plain SGD, momentum = 0)")
    expect_entries("new_velocity", new_velocity, grads, "grads[{key}] (momentum = 0)")


@hidden_test("Three steps with momentum 0.9 match a hand-rolled loop")
def test_three_steps(sgd_momentum_step):
    params, _, _ = make_inputs(seed=5, zero_velocity=True)
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    rng = np.random.default_rng(50)
    lr, momentum = 0.1, 0.9
    want_params, want_velocity = params, velocity
    for number in (1, 2, 3):
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        params, velocity = step(sgd_momentum_step, params, grads, velocity, lr, momentum)
        want_params, want_velocity = reference_step(want_params, grads, want_velocity,
                                                    lr, momentum)
        expect_entries("new_params", params, want_params,
                       f"the parameters after step {number} of a hand-rolled loop ({{key}})")
        expect_entries("new_velocity", velocity, want_velocity,
                       f"the velocity after step {number} of a hand-rolled loop ({{key}})")


@hidden_test("New dicts of new arrays: nothing returned shares memory with the inputs")
def test_no_shared_memory(sgd_momentum_step):
    for seed, momentum in ((6, 0.9), (7, 0.0)):
        params, grads, velocity = make_inputs(seed=seed)
        returned, given = call_with_inputs(sgd_momentum_step, params, grads, velocity, 0.1,
                                           momentum)
        new = unpack_step(returned, params)
        for name, result, arrays in zip(NAMES, returned, new):
            for input_name, inputs in zip(("params", "grads", "velocity"), given):
                if result is inputs:
                    raise Failure(
                        f"{name} is the very dict passed in as {input_name}: return a new dict, "
                        "so that the caller's dicts stay as they were.", name)
                for key, array in arrays.items():
                    if np.shares_memory(array, inputs[key]):
                        raise Failure(
                            f"With momentum = {momentum:g}, {name}[{key!r}] shares memory with "
                            f"{input_name}[{key!r}]: a later change to one would change the "
                            "other. Return new arrays (momentum * v + g is a new array; g "
                            "itself is not).", name)
