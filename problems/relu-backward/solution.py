import numpy as np


def relu_backward(grad_out, x):
    """Backward pass of y = max(0, x): the gradient flows where x > 0 (0 at the kink)."""
    return grad_out * (x > 0)
