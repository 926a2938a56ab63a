"""`pred -= target` writes the difference into the caller's pred array: compute `diff = pred - target` as a new array and leave the inputs untouched."""

import numpy as np


def mse_loss(pred, target):
    pred -= target
    return np.mean(pred ** 2), 2 * pred / pred.size
