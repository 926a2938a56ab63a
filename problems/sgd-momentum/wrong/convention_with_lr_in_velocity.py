"""This is the other convention (v_new = momentum * v - lr * g, p_new = p + v_new), whose velocity is -lr times this problem's: use v_new = momentum * v + g and p_new = p - lr * v_new, so that the velocity you return is the one the next call expects."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] - lr * grads[k] for k in params}
    new_params = {k: params[k] + new_velocity[k] for k in params}
    return new_params, new_velocity
