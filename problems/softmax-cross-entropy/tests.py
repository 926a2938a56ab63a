"""Hidden tests for "Softmax cross-entropy loss".

logits are random from fixed seeds with the batch size B and the number of classes C always
different (4 x 5, 6 x 3...), so a one-hot matrix built with the wrong size cannot line up by
accident; labels are integer arrays. One test sets the labels at the class boundaries 0 and
C-1, one uses a batch of one, and one uses logits of size 1e3 with a confident correct row
(loss ~ 0) and a confident wrong one (loss ~ 2000, which must come out finite, with no NumPy
warning). dlogits is also checked against central differences of the loss. `call` hands the
learner copies and fails if the function changed logits or labels; expectations are computed
from the test's own untouched inputs.
"""

import warnings

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

RETURNS = ("loss", "dlogits")
DLOGITS = "(softmax(logits) - onehot(labels)) / B"


def make_inputs(seed, batch, classes):
    """Return (logits, labels): float logits (B, C) and integer labels (B,) from a fixed seed."""
    rng = np.random.default_rng(seed)
    logits = 2.0 * rng.standard_normal((batch, classes))
    labels = rng.integers(0, classes, size=batch)
    return logits, labels


def log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def expected_loss(logits, labels):
    return float(-log_softmax(logits)[np.arange(len(labels)), labels].mean())


def expected_dlogits(logits, labels):
    batch, classes = logits.shape
    onehot = np.eye(classes)[labels]
    return (np.exp(log_softmax(logits)) - onehot) / batch


def results(softmax_cross_entropy, logits, labels):
    """Call the learner's function; return (loss, dlogits) as arrays, in the right order."""
    return ordered(call(softmax_cross_entropy, logits, labels))


def ordered(returned):
    """(loss, dlogits) as arrays, or a Failure if they are missing or come back swapped."""
    return unpack(returned, RETURNS, scalars=("loss",))


def expect_scalar_loss(loss):
    expect_scalar("loss", loss, "average the B per-example losses into one value")


def check_loss(loss, dlogits, logits, labels):
    """Compare the scalar loss with the batch mean, in one readable sentence."""
    expect_scalar_loss(loss)
    want = expected_loss(logits, labels)
    got = float(loss)
    if not np.isfinite(got) or abs(got - want) > 1e-8 + 1e-5 * abs(want):
        raise Failure(
            f"loss is {got:.6g} but should be {want:.6g}, the mean over the B = {len(labels)} "
            f"rows of -log softmax(logits)[i, labels[i]] (labels = {labels.tolist()}).",
            "loss",
        )


def check_dlogits(dlogits, logits, labels):
    expect_close("dlogits", dlogits, expected_dlogits(logits, labels),
                 reference=f"{DLOGITS} with B = {len(labels)}")


@hidden_test("Returns a scalar loss and dlogits shaped like logits")
def test_shapes(softmax_cross_entropy):
    logits, labels = make_inputs(seed=1, batch=4, classes=5)
    loss, dlogits = results(softmax_cross_entropy, logits, labels)
    expect_scalar_loss(loss)
    expect_shape("dlogits", dlogits, (4, 5), "logits' shape (B, C)")


@hidden_test("loss is the batch mean of -log softmax(logits)[i, labels[i]]")
def test_loss(softmax_cross_entropy):
    logits, labels = make_inputs(seed=2, batch=4, classes=5)
    loss, dlogits = results(softmax_cross_entropy, logits, labels)
    check_loss(loss, dlogits, logits, labels)


@hidden_test("dlogits equals (softmax(logits) - onehot(labels)) / B")
def test_dlogits(softmax_cross_entropy):
    logits, labels = make_inputs(seed=3, batch=6, classes=3)
    _, dlogits = results(softmax_cross_entropy, logits, labels)
    check_dlogits(dlogits, logits, labels)


@hidden_test("Labels at the class boundaries 0 and C-1")
def test_boundary_labels(softmax_cross_entropy):
    logits, _ = make_inputs(seed=4, batch=5, classes=4)
    labels = np.array([0, 3, 3, 0, 3])
    loss, dlogits = results(softmax_cross_entropy, logits, labels)
    check_loss(loss, dlogits, logits, labels)
    check_dlogits(dlogits, logits, labels)


@hidden_test("A batch of one example")
def test_batch_of_one(softmax_cross_entropy):
    logits, _ = make_inputs(seed=5, batch=1, classes=4)
    labels = np.array([2])
    loss, dlogits = results(softmax_cross_entropy, logits, labels)
    check_loss(loss, dlogits, logits, labels)
    check_dlogits(dlogits, logits, labels)


@hidden_test("Huge logits (size 1e3): finite loss, no warning")
def test_huge_logits(softmax_cross_entropy):
    logits = np.array([
        [1000.0, -1000.0, 0.0, 500.0, -500.0],   # label 0: confident and right, loss ~ 0
        [1000.0, 0.0, -1000.0, 500.0, -500.0],   # label 2: confident and wrong, loss ~ 2000
        [-1000.0, -1000.0, -1000.0, -1000.0, -1000.0],  # label 4: uniform, loss = log 5
        [999.0, 1000.0, 998.0, -1000.0, 0.0],    # label 1: the largest logit, loss ~ 0.41
    ])
    labels = np.array([0, 2, 4, 1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        returned = call(softmax_cross_entropy, logits, labels)
    messages = sorted({str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)})
    if messages:
        said = "; ".join(f'"{text}"' for text in messages)
        raise Failure(
            "On logits of size 1e3 NumPy warned: "
            f"{said}. The row [1000, 0, -1000, 500, -500] with label 2 is confidently wrong: "
            "its probability for class 2 is about e^-2000, which is 0 in float64, yet its "
            "loss, about 2000, is a perfectly finite number; np.exp overflows above about "
            "709 and np.log(0) is -inf, so neither may happen on the way."
        )
    loss, dlogits = ordered(returned)
    check_loss(loss, dlogits, logits, labels)
    check_dlogits(dlogits, logits, labels)


@hidden_test("dlogits matches the finite-difference gradient of the loss")
def test_dlogits_numerical(softmax_cross_entropy):
    logits, labels = make_inputs(seed=7, batch=3, classes=4)
    _, dlogits = results(softmax_cross_entropy, logits, labels)
    expect_close(
        "dlogits",
        dlogits,
        numerical_dlogits(logits, labels),
        atol=1e-6,
        rtol=0.0,
        reference="the central-difference gradient of the mean cross-entropy loss",
    )


@hidden_test("Leaves logits and labels unchanged")
def test_inputs_unchanged(softmax_cross_entropy):
    logits, labels = make_inputs(seed=8, batch=5, classes=7)
    labels[0], labels[-1] = 0, 6
    # `call` fails if the function wrote into logits or labels.
    loss, dlogits = results(softmax_cross_entropy, logits, labels)
    check_loss(loss, dlogits, logits, labels)
    check_dlogits(dlogits, logits, labels)


def numerical_dlogits(logits, labels):
    """Central differences of the mean cross-entropy loss, entry by entry."""
    return central_difference(lambda z: expected_loss(z, labels), logits)
