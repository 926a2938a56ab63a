def linear_backward(grad_out, x, W):
    raise KeyboardInterrupt
