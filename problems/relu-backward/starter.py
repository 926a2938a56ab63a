import numpy as np


def relu_backward(grad_out, x):
    """Backward pass of the ReLU y = max(0, x).

    Args:
        grad_out: gradient of the loss with respect to y, same shape as x.
        x: the input that was fed to the forward pass.

    Returns:
        dx, the gradient of the loss with respect to x, same shape as x
        (0 where x <= 0, including x == 0).
    """
    dx = None  # TODO: let grad_out through where x > 0
    return dx
