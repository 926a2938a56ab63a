def linear_backward(grad_out, x, W):
    while True:
        pass
