import numpy as np

# Your parts from earlier problems (solve those first):
from linear_forward import linear_forward
from linear_backward import linear_backward
from relu_backward import relu_backward
from mse_loss import mse_loss
from sgd_momentum import sgd_momentum_step

HIDDEN, STEPS, LR, MOMENTUM = 8, 500, 0.1, 0.9


def train_xor(X, y, seed, query=None):
    """Train a small 2-layer MLP on the XOR points and report how it did.

    Args:
        X: (N, 2) the XOR points (each row one of (0,0), (0,1), (1,0), (1,1)).
        y: (N,) their labels, 0.0 or 1.0.
        seed: initialise with np.random.default_rng(seed), so that a seed gives one result.
        query: optional (Q, 2) more points, only scored after training (never trained on): the
            page draws the decision boundary from them.

    Returns:
        (probs, losses): probs (N,) the trained network's score in [0, 1] that each row of X
        is class 1, followed by one score per row of query when it is given; losses the loss at
        every training step.
    """
    rng = np.random.default_rng(seed)
    params = None  # TODO: W1 (2, HIDDEN), b1 (HIDDEN,), W2 (HIDDEN, 1), b2 (1,): see the recipe
    velocity = None  # TODO: zeros shaped like each parameter
    target = y.reshape(-1, 1)
    losses = []
    for step in range(STEPS):
        # TODO: forward pass: h_pre, h = relu(h_pre), pred
        # TODO: loss and dpred with mse_loss; append the loss to losses
        # TODO: backward pass: the gradients of W1, b1, W2 and b2, in a dict
        # TODO: params, velocity = sgd_momentum_step(params, grads, velocity, LR, MOMENTUM)
        pass
    points = X if query is None else np.vstack([X, query])
    probs = np.zeros(len(points))  # TODO: the trained network's output on points, clipped to [0, 1]
    return probs, losses
