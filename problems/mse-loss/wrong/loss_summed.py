"""Your loss is the sum of the squared errors: the mean squared error divides that sum by N = pred.size, and dpred then carries the same 1/N."""

import numpy as np


def mse_loss(pred, target):
    diff = pred - target
    return np.sum(diff ** 2), 2 * diff
