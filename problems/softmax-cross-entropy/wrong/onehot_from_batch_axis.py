"""Your one-hot matrix is built with the batch size B where the number of classes C belongs: it must have logits' shape (B, C), with row i equal to np.eye(C)[labels[i]], so use np.eye(logits.shape[1])[labels]."""

import numpy as np


def softmax_cross_entropy(logits, labels):
    batch = logits.shape[0]
    rows = np.arange(batch)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = np.eye(batch)[labels]
    return -log_probs[rows, labels].mean(), (np.exp(log_probs) - onehot) / batch
