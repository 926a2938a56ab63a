"""The velocity you return is the one you were given: return the new one, v_new = momentum * v + g, so the next step builds on it."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] + grads[k] for k in params}
    new_params = {k: params[k] - lr * new_velocity[k] for k in params}
    return new_params, velocity
