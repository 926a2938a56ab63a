"""np.exp overflows to inf for logits near 1e3 (inf / inf is NaN): subtract each row's max first, which leaves the softmax unchanged because a constant added to a row cancels out."""

import numpy as np


def softmax(logits):
    # errstate only keeps this known mistake quiet when the harness runs it to match a
    # learner's answer; the learner's own version warns (and the hidden test says so).
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        return e / e.sum(axis=-1, keepdims=True)
