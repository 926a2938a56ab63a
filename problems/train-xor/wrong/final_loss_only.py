"""losses should be the whole history, one loss per training step (a list or 1-D array), not only the last loss: append the loss inside the loop and return the list."""

import numpy as np

HIDDEN, STEPS, LR, MOMENTUM = 8, 500, 0.1, 0.9


def train_xor(X, y, seed, query=None):
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(0.0, 1.0, size=(X.shape[1], HIDDEN)),
        "b1": np.full(HIDDEN, 0.1),
        "W2": rng.normal(0.0, 0.1, size=(HIDDEN, 1)),
        "b2": np.zeros(1),
    }
    velocity = {name: np.zeros_like(value) for name, value in params.items()}
    target = y.reshape(-1, 1)

    def predict(params, points=X):
        h_pre = points @ params["W1"] + params["b1"]
        h = np.maximum(h_pre, 0.0)
        return h_pre, h, h @ params["W2"] + params["b2"]

    losses = []
    for _ in range(STEPS):
        h_pre, h, pred = predict(params)
        losses.append(float(np.mean((pred - target) ** 2)))
        dpred = 2.0 * (pred - target) / pred.size
        dh_pre = (dpred @ params["W2"].T) * (h_pre > 0)
        grads = {"W1": X.T @ dh_pre, "b1": dh_pre.sum(axis=0),
                 "W2": h.T @ dpred, "b2": dpred.sum(axis=0)}
        for name in params:
            velocity[name] = MOMENTUM * velocity[name] + grads[name]
            params[name] = params[name] - LR * velocity[name]
    scored = X if query is None else np.vstack([X, query])
    probs = np.clip(predict(params, scored)[2][:, 0], 0.0, 1.0)
    return probs, losses[-1]
