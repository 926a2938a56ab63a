import numpy as np


def softmax(logits):
    """Softmax over the last axis.

    Args:
        logits: np.ndarray of shape (..., C), such as (C,) or (B, C); entries may be as
            large as 1e3 in size.

    Returns:
        np.ndarray of the same shape: each slice along the last axis is positive and sums to 1.
    """
    return None  # TODO: probabilities, same shape as logits
