"""You multiplied grad_out by the forward's output max(0, x) instead of its derivative: the slope of ReLU is 1 where x > 0 (whatever the size of x) and 0 elsewhere, so dx = grad_out * (x > 0)."""

import numpy as np


def relu_backward(grad_out, x):
    return np.maximum(0, x) * grad_out
