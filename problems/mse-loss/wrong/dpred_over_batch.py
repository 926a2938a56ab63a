"""dpred is divided by the batch size B, but the loss averages over all N = pred.size entries, so each entry's gradient carries 1/N: dpred = 2 (pred - target) / N."""

import numpy as np


def mse_loss(pred, target):
    diff = pred - target
    return np.mean(diff ** 2), 2 * diff / pred.shape[0]
