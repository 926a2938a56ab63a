import numpy as np

# Your parts from earlier problems (uncomment the ones you use):
# from linear_forward import linear_forward
# from linear_backward import linear_backward
# from relu_backward import relu_backward
# from mse_loss import mse_loss


def mlp_backward(params, x, target):
    """Loss and gradients of a two-layer MLP: pred = relu(x @ W1 + b1) @ W2 + b2.

    Args:
        params: dict {"W1": (in, hidden), "b1": (hidden,), "W2": (hidden, out), "b2": (out,)}.
        x: (B, in) batch of inputs.
        target: (B, out) targets.

    Returns:
        (loss, grads): loss = mean over every entry of (pred - target) ** 2, a float; grads a
        dict with the same keys as params, each gradient shaped like its parameter.
    """
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    # TODO: forward pass: h_pre, h = relu(h_pre), pred
    # TODO: loss and dpred
    # TODO: backward pass, from the output layer back to the first layer
    loss = None
    grads = {"W1": None, "b1": None, "W2": None, "b2": None}
    return loss, grads
