"""Your function writes into arrays it was given, or hands them back: params[k] -= ..., or *= and += on a dict made with dict(d) or d.copy() (which copy the dict but not its arrays), change the caller's arrays; build each entry as a new array, v_new = momentum * v + g and p_new = p - lr * v_new, in new dicts."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    for k in params:
        velocity[k] *= momentum
        velocity[k] += grads[k]
        params[k] -= lr * velocity[k]
    return params, velocity
