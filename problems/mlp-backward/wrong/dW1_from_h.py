"""dW1 is built from the wrong layer's input: the first layer computed h_pre = x @ W1 + b1, so its weight gradient is x.T @ dh_pre (shape (in, hidden)), not h.T @ dh_pre."""

import numpy as np


def mlp_backward(params, x, target):
    h_pre = x @ params["W1"] + params["b1"]
    h = np.maximum(h_pre, 0.0)
    pred = h @ params["W2"] + params["b2"]
    loss = float(np.mean((pred - target) ** 2))
    dpred = 2.0 * (pred - target) / pred.size
    dh_pre = (dpred @ params["W2"].T) * (h_pre > 0)
    return loss, {"W1": h.T @ dh_pre, "b1": dh_pre.sum(axis=0),
                  "W2": h.T @ dpred, "b2": dpred.sum(axis=0)}
