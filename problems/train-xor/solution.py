import numpy as np

from linear_backward import linear_backward
from linear_forward import linear_forward
from mse_loss import mse_loss
from relu_backward import relu_backward
from sgd_momentum import sgd_momentum_step

HIDDEN, STEPS, LR, MOMENTUM = 8, 500, 0.1, 0.9


def train_xor(X, y, seed, query=None):
    """Train a 2-8-1 ReLU MLP on (X, y) with MSE and SGD with momentum; return (probs, losses),
    probs for the rows of X, then for those of `query` when given (the network trained on X)."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(0.0, 1.0, size=(X.shape[1], HIDDEN)),
        "b1": np.full(HIDDEN, 0.1),
        "W2": rng.normal(0.0, 0.1, size=(HIDDEN, 1)),
        "b2": np.zeros(1),
    }
    velocity = {name: np.zeros_like(value) for name, value in params.items()}
    target = y.reshape(-1, 1)
    losses = []
    for _ in range(STEPS):
        h_pre = linear_forward(X, params["W1"], params["b1"])
        h = np.maximum(h_pre, 0.0)
        pred = linear_forward(h, params["W2"], params["b2"])
        loss, dpred = mse_loss(pred, target)
        losses.append(loss)
        dh, dW2, db2 = linear_backward(dpred, h, params["W2"])
        dh_pre = relu_backward(dh, h_pre)
        _, dW1, db1 = linear_backward(dh_pre, X, params["W1"])
        grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
        params, velocity = sgd_momentum_step(params, grads, velocity, LR, MOMENTUM)
    points = X if query is None else np.vstack([X, query])
    h = np.maximum(linear_forward(points, params["W1"], params["b1"]), 0.0)
    pred = linear_forward(h, params["W2"], params["b2"])
    return np.clip(pred[:, 0], 0.0, 1.0), np.array(losses)
