"""`logits -= logits.max(...)` writes into the caller's array: compute `shifted = logits - logits.max(axis=-1, keepdims=True)` as a new array and leave logits untouched."""

import numpy as np


def softmax(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)
