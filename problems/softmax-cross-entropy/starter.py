import numpy as np


def softmax_cross_entropy(logits, labels):
    """Softmax cross-entropy loss, averaged over the batch, and its gradient.

    Args:
        logits: np.ndarray of shape (B, C), one row of class scores per example; entries may
            be as large as 1e3 in size.
        labels: integer np.ndarray of shape (B,), the correct class of each example, in 0..C-1.

    Returns:
        (loss, dlogits): loss is one number, the mean over the batch of
        -log softmax(logits)[i, labels[i]]; dlogits is dloss/dlogits, shape (B, C).
    """
    loss = None  # TODO: one number
    dlogits = None  # TODO: shape (B, C)
    return loss, dlogits
