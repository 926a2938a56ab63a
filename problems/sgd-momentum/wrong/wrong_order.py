"""The two dicts come back in the wrong order: return (new_params, new_velocity), parameters first."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] + grads[k] for k in params}
    new_params = {k: params[k] - lr * new_velocity[k] for k in params}
    return new_velocity, new_params
