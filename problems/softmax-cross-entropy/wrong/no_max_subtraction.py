"""np.exp(logits) overflows to inf for logits near 1e3, and inf / inf is NaN: subtract each row's max before exponentiating (softmax does not change), and take the loss from log-probabilities shifted - log(sum(exp(shifted)))."""

import numpy as np


def softmax_cross_entropy(logits, labels):
    batch = logits.shape[0]
    rows = np.arange(batch)
    # errstate only keeps this known mistake quiet when the harness runs it to match a
    # learner's answer; the learner's own version warns (and the hidden test says so).
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(p[rows, labels]).mean()
    dlogits = p.copy()
    dlogits[rows, labels] -= 1.0
    return loss, dlogits / batch
