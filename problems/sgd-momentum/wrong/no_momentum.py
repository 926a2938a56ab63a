"""Your velocity is just the gradient, so the momentum is lost: keep a decayed share of the old velocity, v_new = momentum * v + g."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: grads[k] for k in params}
    new_params = {k: params[k] - lr * grads[k] for k in params}
    return new_params, new_velocity
