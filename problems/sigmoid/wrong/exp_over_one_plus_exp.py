"""e^x / (1 + e^x) is safe for negative x but gives inf / inf = NaN for large positive x (np.exp(1000) is inf): use it only where x < 0, and 1 / (1 + e^-x) where x >= 0."""

import numpy as np


def sigmoid(x):
    # Silenced so that matching this mistake prints nothing; the NaN still fails the tests.
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(x) / (1 + np.exp(x))
