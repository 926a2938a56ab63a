"""At h_pre == 0 you let the gradient through: the ReLU's derivative is 1 only where h_pre > 0 (strictly), so use the mask h_pre > 0, as relu_backward does."""

import numpy as np


def mlp_backward(params, x, target):
    h_pre = x @ params["W1"] + params["b1"]
    h = np.maximum(h_pre, 0.0)
    pred = h @ params["W2"] + params["b2"]
    loss = float(np.mean((pred - target) ** 2))
    dpred = 2.0 * (pred - target) / pred.size
    dh_pre = (dpred @ params["W2"].T) * (h_pre >= 0)
    return loss, {"W1": x.T @ dh_pre, "b1": dh_pre.sum(axis=0),
                  "W2": h.T @ dpred, "b2": dpred.sum(axis=0)}
