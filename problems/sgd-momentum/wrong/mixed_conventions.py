"""You mix the two conventions: v_new = momentum * v - lr * g already holds the step, so it goes with p + v_new; in this problem's form the velocity is v_new = momentum * v + g (no lr) and the step is p - lr * v_new."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] - lr * grads[k] for k in params}
    new_params = {k: params[k] - lr * new_velocity[k] for k in params}
    return new_params, new_velocity
