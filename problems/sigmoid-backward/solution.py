import numpy as np


def _sigmoid(x):
    """Stable sigmoid: only ever exponentiates -|x| <= 0."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_backward(grad_out, x):
    """Backward pass of y = sigmoid(x), where x is the forward's INPUT."""
    s = _sigmoid(np.asarray(x, dtype=np.float64))
    return grad_out * s * (1.0 - s)
