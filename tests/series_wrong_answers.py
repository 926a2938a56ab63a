"""Plausible wrong answers that are NOT among the series' known mistakes, two per problem.

Each is the problem's reference with one change a learner might make, and the text a failing
test's message (or error) must hold for the learner to act on it. test_parts.py grades them
under CPython and test_series_e2e.py in each browser engine: the hidden tests must catch every
one, with no known mistake's hint to lean on.
"""

from __future__ import annotations

from pathlib import Path

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"

FLATTENED_COPY = '''import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    flat = np.array(x, dtype=float).ravel()
    grad = np.zeros_like(flat)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = f(flat)
        flat[i] = old - eps
        minus = f(flat)
        flat[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad.reshape(np.shape(x))
'''

SHALLOW_COPIES = '''def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_params, new_velocity = dict(params), dict(velocity)
    for k in params:
        new_velocity[k] *= momentum
        new_velocity[k] += grads[k]
        new_params[k] -= lr * new_velocity[k]
    return new_params, new_velocity
'''

# slug: [(what the learner did, {old: new} in the reference, or a whole source; must mention)]
WRONG_ANSWERS: dict[str, list[tuple[str, dict[str, str] | str, str]]] = {
    "linear-forward": [
        ("subtracts the bias", {"return x @ W + b": "return x @ W - b"}, "y differs"),
        ("adds only b[0]", {"return x @ W + b": "return x @ W + b[0]"}, "y differs"),
    ],
    "linear-backward": [
        ("averages dW over the batch", {"dW = x.T @ grad_out": "dW = x.T @ grad_out / len(x)"},
         "dW differs"),
        ("sums db over the features", {"grad_out.sum(axis=0)": "grad_out.sum(axis=1)"}, "db"),
    ],
    "relu-backward": [
        ("uses the sign of x", {"grad_out * (x > 0)": "grad_out * np.sign(x)"}, "dx differs"),
        ("half a gradient at the kink", {"grad_out * (x > 0)": "grad_out * np.heaviside(x, 0.5)"},
         "x == 0"),
    ],
    "sigmoid": [
        ("the tanh form", {"return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))":
                           "return 0.5 * (1.0 + np.tanh(x / 2))"}, "sigmoid(x)"),
        ("clips x, then the naive formula",
         {"return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))":
          "return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))"}, "sigmoid(x)"),
    ],
    "sigmoid-backward": [
        ("applies the sigmoid twice", {"s = _sigmoid(np.asarray(x, dtype=np.float64))":
                                       "s = _sigmoid(_sigmoid(np.asarray(x, dtype=np.float64)))"},
         "dx differs"),
        ("1 + s for 1 - s", {"grad_out * s * (1.0 - s)": "grad_out * s * (1.0 + s)"},
         "dx differs"),
    ],
    "mse-loss": [
        ("a loss per feature", {"loss = float(np.mean(diff ** 2))":
                                "loss = np.mean(diff ** 2, axis=0)"}, "loss"),
        ("returns (dpred, loss)", {"return loss, dpred": "return dpred, loss"}, "(loss, dpred)"),
    ],
    "softmax": [
        ("normalises over the whole array", {"return e / e.sum(axis=-1, keepdims=True)":
                                             "return e / e.sum()"}, "sum"),
        ("indexes as if 2-D", {"return e / e.sum(axis=-1, keepdims=True)":
                               "return e / e.sum(axis=-1)[:, None]"}, "Error"),
    ],
    "softmax-cross-entropy": [
        ("picks a B x B block of log-probabilities", {"-log_probs[rows, labels].mean()":
                                                      "-log_probs[:, labels].mean()"}, "loss"),
        ("flips the gradient's sign", {"return loss, dlogits / batch":
                                       "return loss, -dlogits / batch"}, "dlogits differs"),
    ],
    "numerical-gradient": [
        ("perturbs a flattened copy", FLATTENED_COPY, "shape"),
        ("keeps an integer x's dtype", {"x = np.array(x, dtype=float)": "x = np.array(x)"},
         "dtype"),
    ],
    "sgd-momentum": [
        ("shallow copies, updated in place", SHALLOW_COPIES, "in place"),
        ("lr folded into the velocity", {
            "momentum * velocity[name] + grads[name]": "momentum * velocity[name] + lr * grads[name]",
            "params[name] - lr * new_velocity[name]": "params[name] - new_velocity[name]"},
         "new_velocity"),
    ],
    "mlp-backward": [
        ("multiplies by h in the ReLU's backward", {"dh_pre = relu_backward(dh, h_pre)":
                                                    "dh_pre = dh * h"}, "W1"),
        ("sums the loss", {"loss, dpred = mse_loss(pred, target)":
                           "loss, dpred = mse_loss(pred, target)\n    loss = loss * pred.size"},
         "loss"),
    ],
    "train-xor": [
        ("does not clip the output", {"return np.clip(pred[:, 0], 0.0, 1.0), np.array(losses)":
                                      "return pred[:, 0], np.array(losses)"}, "[0, 1]"),
        ("trains for 20 steps", {"HIDDEN, STEPS, LR, MOMENTUM = 8, 500, 0.1, 0.9":
                                 "HIDDEN, STEPS, LR, MOMENTUM = 8, 20, 0.1, 0.9"}, "loss"),
    ],
}


def wrong_answers(slug: str) -> list[tuple[str, str, str]]:
    """(what the learner did, the source, what a message must mention) for a problem."""
    reference = (PROBLEMS / slug / "solution.py").read_text()
    answers = []
    for name, change, mention in WRONG_ANSWERS[slug]:
        source = change if isinstance(change, str) else reference
        if not isinstance(change, str):
            for old, new in change.items():
                assert old in source, (slug, name, old)
                source = source.replace(old, new)
        answers.append((name, source, mention))
    return answers
