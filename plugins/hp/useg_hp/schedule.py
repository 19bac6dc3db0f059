"""HP's task-specific weight schedule and code-pool refresh rule."""


def hp_lambda(iteration, warmup, max_iters):
    """0 while ``iteration ≤ warmup``, then ``(iteration − warmup) / (max_iters − warmup)``."""
    if iteration <= warmup:
        return 0.0
    return (iteration - warmup) / (max_iters - warmup)


def should_renew_pool(i, renew_interval):
    """Refresh the code pool at index ``i`` within the epoch: ``i % renew_interval == 0 and i != 0``."""
    return i % renew_interval == 0 and i != 0
