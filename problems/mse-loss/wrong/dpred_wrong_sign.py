"""dpred points the wrong way: the loss grows when pred moves away from target, so its gradient is 2 (pred - target) / N, not 2 (target - pred) / N."""

import numpy as np


def mse_loss(pred, target):
    diff = pred - target
    return np.mean(diff ** 2), 2 * (target - pred) / diff.size
