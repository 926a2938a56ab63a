"""The hidden-layer gradients ignore the ReLU: on the way back, multiply dh by the ReLU's derivative (1 where h_pre > 0, else 0) before computing dW1 and db1, because units that were off in the forward pass contributed nothing to the loss."""

import numpy as np


def mlp_backward(params, x, target):
    h_pre = x @ params["W1"] + params["b1"]
    h = np.maximum(h_pre, 0.0)
    pred = h @ params["W2"] + params["b2"]
    loss = float(np.mean((pred - target) ** 2))
    dpred = 2.0 * (pred - target) / pred.size
    dh = dpred @ params["W2"].T
    return loss, {"W1": x.T @ dh, "b1": dh.sum(axis=0),
                  "W2": h.T @ dpred, "b2": dpred.sum(axis=0)}
