import numpy as np


def sigmoid(x):
    """Numerically stable sigmoid 1 / (1 + exp(-x)), entry by entry."""
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
