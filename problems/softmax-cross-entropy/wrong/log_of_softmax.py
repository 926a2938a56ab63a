"""np.log(softmax(logits)) is -inf wherever a probability underflows to 0, as for a confidently wrong prediction with logits of size 1e3: compute log-probabilities directly, log_probs = shifted - log(sum(exp(shifted))) with shifted = logits - row max, whose loss stays finite."""

import numpy as np


def softmax_cross_entropy(logits, labels):
    batch = logits.shape[0]
    rows = np.arange(batch)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    # errstate only keeps this known mistake quiet when the harness runs it to match a
    # learner's answer; the learner's own version warns (and the hidden test says so).
    with np.errstate(divide="ignore"):
        loss = -np.log(p[rows, labels]).mean()
    dlogits = p.copy()
    dlogits[rows, labels] -= 1.0
    return loss, dlogits / batch
