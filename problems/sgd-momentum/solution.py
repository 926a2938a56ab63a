import numpy as np


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    """One step of SGD with momentum (PyTorch's form), returning new dicts of new arrays."""
    new_velocity = {name: momentum * velocity[name] + grads[name] for name in params}
    new_params = {name: params[name] - lr * new_velocity[name] for name in params}
    return new_params, new_velocity
