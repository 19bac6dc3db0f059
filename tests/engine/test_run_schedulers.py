"""Schedules against per-step values computed by hand from the references (specs hsg.md section 7,
maskcontrast.md sections 3 and 4a), built as the runner builds them (``end`` filled in)."""
import warnings

import pytest
import torch
from mmengine.optim import OptimWrapper

from useg.registry import PARAM_SCHEDULERS
from useg.testing import tiny_config_methods


def lr_curve(schedulers, steps, lr=1.0, run_length=None):
    """lr at steps 0..steps-1 of ``schedulers`` (configs, built with ``end`` = ``run_length``
    (default ``steps``) when omitted, as mmengine's runner does)."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    wrapper = OptimWrapper(optimizer)
    built = [PARAM_SCHEDULERS.build(dict(dict(end=run_length or steps), **cfg), default_args=dict(optimizer=wrapper))
             for cfg in schedulers]
    curve = []
    with warnings.catch_warnings():  # no optimizer.step() here
        warnings.simplefilter('ignore', UserWarning)
        for _ in range(steps):
            curve.append(optimizer.param_groups[0]['lr'])
            for scheduler in built:
                scheduler.step()
    return curve


def test_maskcontrast_poly_per_epoch_matches_the_reference():
    # lr * (1 - e / 40) ** 0.9 for e = 0..39: the last epoch runs at 0.004 / 40 ** 0.9 = 1.446e-4.
    curve = lr_curve([dict(type='RunPolyLR', power=0.9, eta_min=0, by_epoch=True)], 40, lr=0.004)
    assert curve == pytest.approx([0.004 * (1 - e / 40) ** 0.9 for e in range(40)], rel=1e-9)
    assert curve[-1] == pytest.approx(1.4461e-4, rel=1e-3)


def test_maskcontrast_linear_probe_decays_after_epoch_25():
    # reference: lr = 0.1, x0.1 when epoch > 25 (0-based epochs 26..59)
    curve = lr_curve([dict(type='MultiStepLR', milestones=[26], gamma=0.1, by_epoch=True)], 60,
                     lr=0.1)
    assert curve[:26] == pytest.approx([0.1] * 26) and curve[26:] == pytest.approx([0.01] * 34)


@pytest.mark.parametrize('max_iters, base_lr, milestones', [(350000, 0.1, (112000, 196000, 262500)),
                                                          (20000, 0.008, (6400, 11200, 15000)),
                                                          (38000, 0.1, (12160, 21280, 28500))])
def test_hsg_warmup_and_steps_match_the_reference(max_iters, base_lr, milestones):
    # Caffe "step" with a 100-iteration linear warm-up from 0.1 x lr: lr * (0.1 + 0.9 * t / 100)
    # for t <= 100, then x0.1 at 32 / 56 / 75 % of max_iter (stage 1, stage 2, Cityscapes).
    schedulers = [dict(type='LinearWarmupLR', start_factor=0.1, warmup_iters=100, by_epoch=False),
                  dict(type='RunMultiStepLR', milestone_fractions=[0.32, 0.56, 0.75], gamma=0.1,
                       by_epoch=False)]
    curve = lr_curve(schedulers, 150, lr=base_lr, run_length=max_iters)
    assert curve[:101] == pytest.approx([base_lr * (0.1 + 0.9 * t / 100) for t in range(101)])
    assert curve[99] < base_lr and curve[100] == pytest.approx(base_lr)
    assert curve[101:] == pytest.approx([base_lr] * 49)
    optimizer = OptimWrapper(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr))
    steps = PARAM_SCHEDULERS.build(dict(schedulers[1], end=max_iters),
                                   default_args=dict(optimizer=optimizer))
    assert sorted(steps.milestones) == list(milestones)  # mmengine: x0.1 from that step on


TINY_CONFIGS = tiny_config_methods()
CONSTANT_LR = {'baseline', 'stego', 'smooseg', 'primaps'}  # constant Adam, as the references
SCHEDULED = {'maskcontrast', 'hsg'}


@pytest.mark.parametrize('method', TINY_CONFIGS)
def test_tiny_schedules_follow_a_longer_run(method):
    """Raising max_iters stretches every schedule: lr never reaches 0 before the end and a
    warm-up still ends at the full lr."""
    import os.path as osp

    from useg.apis import load_config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    max_iters = 400
    cfg = load_config(osp.join(root, 'configs', method, 'tiny_synthetic.py'),
                      {'train_cfg.max_iters': max_iters})
    schedulers = cfg.get('param_scheduler') or []
    if method in CONSTANT_LR or method in SCHEDULED:
        assert bool(schedulers) != (method in CONSTANT_LR), method
    groups = schedulers.items() if isinstance(schedulers, dict) else [(None, schedulers)] * bool(schedulers)
    for name, group in groups:
        if not group:
            continue  # this optimiser keeps its lr
        wrapper = cfg.optim_wrapper[name] if name else cfg.optim_wrapper
        base_lr = wrapper['optimizer']['lr']
        curve = lr_curve([dict(item) for item in group], max_iters, lr=base_lr)
        assert min(curve) > 0, (method, name)
        if any(item['type'] == 'LinearWarmupLR' for item in group):
            assert curve[0] < base_lr and max(curve) == pytest.approx(base_lr)
            assert curve.index(max(curve)) < 0.1 * max_iters  # warm-up, then the steps
        if any(item['type'] == 'RunPolyLR' for item in group):
            assert curve[-1] == pytest.approx(base_lr * (1 / max_iters) ** 0.9)
