"""Your values are 1 - sigmoid(x) (for instance sigmoid(2) came out below 0.5): the exponent is -x, sigma(x) = 1 / (1 + e^(-x)), which grows with x."""

import numpy as np


def sigmoid(x):
    # Silenced so that matching this mistake prints nothing; its values fail the tests.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(x))
