"""The parameters move by the old velocity: compute v_new = momentum * v + g first, then step with it, p_new = p - lr * v_new, so this step's gradient counts at once."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] + grads[k] for k in params}
    new_params = {k: params[k] - lr * velocity[k] for k in params}
    return new_params, new_velocity
