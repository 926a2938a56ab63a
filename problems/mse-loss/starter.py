import numpy as np


def mse_loss(pred, target):
    """Mean squared error between pred and target, and its gradient.

    Args:
        pred: np.ndarray of any shape, the predictions.
        target: np.ndarray of the same shape, the values to predict.

    Returns:
        (loss, dpred): loss is one number, the mean of (pred - target) ** 2 over every
        entry; dpred is dloss/dpred, an array of pred's shape.
    """
    loss = None  # TODO: one number
    dpred = None  # TODO: same shape as pred
    return loss, dpred
