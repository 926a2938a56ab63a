import numpy as np


def mse_loss(pred, target):
    """Mean squared error over every entry, and its gradient with respect to pred."""
    diff = pred - target
    loss = float(np.mean(diff ** 2))
    dpred = 2.0 * diff / diff.size
    return loss, dpred
