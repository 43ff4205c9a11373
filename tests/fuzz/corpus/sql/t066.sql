SELECT unknown_fn(1)
