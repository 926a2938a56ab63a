"""Labels are class indices, and NumPy refuses float arrays as indices: keep labels as the integer array you were given (do not convert it with dtype=float)."""

import numpy as np


def softmax_cross_entropy(logits, labels):
    labels = np.asarray(labels, dtype=float)
    batch = logits.shape[0]
    rows = np.arange(batch)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dlogits = np.exp(log_probs)
    dlogits[rows, labels] -= 1.0
    return -log_probs[rows, labels].mean(), dlogits / batch
