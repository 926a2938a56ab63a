"""dpred is half the right gradient: the derivative of (pred - target)^2 is 2 (pred - target), so dpred = 2 (pred - target) / N."""

import numpy as np


def mse_loss(pred, target):
    diff = pred - target
    return np.mean(diff ** 2), diff / diff.size
