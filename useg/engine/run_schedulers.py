"""Learning-rate schedules that follow the length of the run and match the references per step.

mmengine's ``end`` is exclusive and its ``PolyLR`` / ``LinearLR`` reach their final value at
step ``end - 1``; the references reach it one step later. When ``end`` is omitted, mmengine's
runner sets it to the run's ``max_iters`` (``by_epoch=False``) or ``max_epochs``, so these
schedules stretch with ``train_cfg``.
"""
from mmengine.optim.scheduler import LinearLR, MultiStepLR, PolyLR

from useg.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class RunPolyLR(PolyLR):
    """``lr_t = eta_min + (lr - eta_min) * (1 - (t - begin) / (end - begin)) ** power`` for
    ``t`` in ``[begin, end)`` (the last step is above ``eta_min``); ``end`` defaults to the run's end."""

    def __init__(self, optimizer, begin=0, end=None, **kwargs):
        if end is None:
            raise ValueError('RunPolyLR needs end (the runner fills it in when omitted)')
        super().__init__(optimizer, begin=begin, end=end + 1, **kwargs)


@PARAM_SCHEDULERS.register_module()
class RunMultiStepLR(MultiStepLR):
    """``MultiStepLR`` with milestones at fractions of the run: step
    ``begin + round(f * (end - begin))`` for every ``f`` of ``milestone_fractions`` (in (0, 1));
    ``end`` defaults to the run's end."""

    def __init__(self, optimizer, milestone_fractions, begin=0, end=None, **kwargs):
        if end is None:
            raise ValueError('RunMultiStepLR needs end (the runner fills it in when omitted)')
        milestones = [begin + round(fraction * (end - begin)) for fraction in milestone_fractions]
        super().__init__(optimizer, milestones=milestones, begin=begin, end=end, **kwargs)


@PARAM_SCHEDULERS.register_module()
class LinearWarmupLR(LinearLR):
    """Linear warm-up: factor ``start_factor + (1 - start_factor) * t / warmup`` for ``t`` in
    ``[0, warmup]`` (full lr first at step ``warmup``, as Caffe's warm-up). ``warmup_iters``:
    steps; or ``warmup_fraction``: a fraction of the run (``end``, filled in by the runner)."""

    def __init__(self, optimizer, start_factor=0.1, warmup_iters=None, warmup_fraction=None,
                 end=None, **kwargs):
        if (warmup_iters is None) == (warmup_fraction is None):
            raise ValueError('LinearWarmupLR takes one of warmup_iters or warmup_fraction')
        if warmup_iters is None:
            warmup_iters = max(1, round(warmup_fraction * end))
        super().__init__(optimizer, start_factor=start_factor, end_factor=1.0, begin=0,
                         end=warmup_iters + 1, **kwargs)
