import numpy as np


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    """One step of SGD with momentum.

    Args:
        params: dict name -> np.ndarray, the parameters.
        grads: dict name -> np.ndarray, the gradient of the loss for each parameter.
        velocity: dict name -> np.ndarray, the velocity from the previous step (zeros at first).
        lr: the learning rate.
        momentum: the momentum coefficient, in [0, 1).

    Returns:
        (new_params, new_velocity): two new dicts with the keys of params, where
        new_velocity[k] = momentum * velocity[k] + grads[k] and
        new_params[k] = params[k] - lr * new_velocity[k]. The inputs must not be changed.
    """
    new_params, new_velocity = {}, {}
    for name in params:
        pass  # TODO: fill new_velocity[name] and new_params[name] with new arrays
    return new_params, new_velocity
