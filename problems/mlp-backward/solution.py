import numpy as np

from linear_backward import linear_backward
from linear_forward import linear_forward
from mse_loss import mse_loss
from relu_backward import relu_backward


def mlp_backward(params, x, target):
    """Loss of the two-layer ReLU MLP on (x, target), and its gradient for every parameter."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h_pre = linear_forward(x, W1, b1)
    h = np.maximum(h_pre, 0.0)
    pred = linear_forward(h, W2, b2)
    loss, dpred = mse_loss(pred, target)
    dh, dW2, db2 = linear_backward(dpred, h, W2)
    dh_pre = relu_backward(dh, h_pre)
    _, dW1, db1 = linear_backward(dh_pre, x, W1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
