"""Subtracting the max of the whole array is not enough: a row far below it (say around -1e3 when another row reaches 1e3) underflows to all zeros and 0 / 0 gives NaN, so subtract each row's own max with logits.max(axis=-1, keepdims=True)."""

import numpy as np


def softmax(logits):
    # errstate only keeps this known mistake quiet when the harness runs it to match a
    # learner's answer; the learner's own version warns (and the hidden test says so).
    with np.errstate(invalid="ignore"):
        e = np.exp(logits - logits.max())
        return e / e.sum(axis=-1, keepdims=True)
