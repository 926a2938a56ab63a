"""e^(-x) / (1 + e^(-x))^2 is the right derivative on paper, but at x = -1000 it computes inf / inf = NaN (with an overflow warning): write it as s * (1 - s), with s from a stable sigmoid."""

import numpy as np


def sigmoid_backward(grad_out, x):
    # Silenced so that matching this mistake prints nothing; the NaN still fails the tests.
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-x)
        return grad_out * e / (1 + e) ** 2
