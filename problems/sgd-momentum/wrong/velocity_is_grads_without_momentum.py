"""With momentum 0 your new velocity is the grads array itself, so the caller's gradient and velocity are one array and a later change to one changes the other: return a new array, momentum * v + g (or g.copy())."""


def sgd_momentum_step(params, grads, velocity, lr, momentum):
    if momentum == 0:
        new_velocity = {k: grads[k] for k in params}
    else:
        new_velocity = {k: momentum * velocity[k] + grads[k] for k in params}
    new_params = {k: params[k] - lr * new_velocity[k] for k in params}
    return new_params, new_velocity
