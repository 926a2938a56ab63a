import numpy as np


def sigmoid(x):
    """Numerically stable sigmoid, sigma(x) = 1 / (1 + exp(-x)), entry by entry.

    Args:
        x: array of any shape.

    Returns:
        A float array of x's shape with every entry in [0, 1]; no overflow
        warning or NaN for |x| up to 1000.
    """
    s = None  # TODO: compute sigma(x) without ever exponentiating a large positive number
    return s
