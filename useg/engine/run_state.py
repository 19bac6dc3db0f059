"""Where a run stands, from the Runner's public state."""


def is_fresh_start(runner):
    """True when training starts from the config's initial weights: not resumed (``iter == 0``)
    and no ``load_from`` checkpoint. Call it from ``before_train`` (after mmengine has loaded or
    resumed)."""
    return runner.iter == 0 and not runner.cfg.get('load_from')
