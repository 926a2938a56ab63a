import numpy as np


def linear_backward(grad_out, x, W):
    """Backward pass of the linear layer y = x @ W + b.

    Args:
        grad_out: (B, out) gradient of the loss with respect to y.
        x: (B, in) input that was fed to the forward pass.
        W: (in, out) weight matrix of the forward pass.

    Returns:
        (dx, dW, db) with shapes (B, in), (in, out) and (out,).
    """
    dx = None  # TODO: gradient with respect to x
    dW = None  # TODO: gradient with respect to W
    db = None  # TODO: gradient with respect to b
    return dx, dW, db
