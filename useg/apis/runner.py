"""Train and test through the mmengine Runner, as ``tools/train.py`` and ``tools/test.py`` do."""
import json
import os.path as osp
import warnings

import torch
from mmengine.registry import RUNNERS

from useg.utils import UsegError, load_safe_checkpoint
from .quiet_runner import QuietRunner

SAFE_CHECKPOINT_HOOK = dict(type='SafeCheckpointHook')
FEATURE_MEMO_HOOK = dict(type='FrozenFeatureMemoHook')  # useg.features: frozen features reused


def build_runner(cfg):
    """A Runner from ``cfg``; the safe-checkpoint and frozen-feature memo hooks are always present."""
    import useg.features  # noqa: F401  (registers FrozenFeatureMemoHook)
    hooks = list(cfg.get('custom_hooks', None) or [])
    for default in (SAFE_CHECKPOINT_HOOK, FEATURE_MEMO_HOOK):
        if not any(hook.get('type') == default['type'] for hook in hooks):
            hooks.append(dict(default))
    cfg.custom_hooks = hooks
    return RUNNERS.build(cfg) if 'runner_type' in cfg else QuietRunner.from_cfg(cfg)


def train(cfg, resume=False, config_path=None):
    """Train ``cfg``; ``resume`` continues from the latest checkpoint in ``cfg.work_dir``.

    Configs with ``pseudo_labels`` need their cache first (tools/precompute_pseudo_labels.py);
    training stops with that command when it is missing.
    """
    from useg.neighbors import resolve_knn_cache
    from useg.pseudo_labels import resolve_pseudo_label_cache
    resolve_pseudo_label_cache(cfg, config_path)
    resolve_knn_cache(cfg, config_path)
    if resume:
        if osp.isfile(osp.join(cfg.work_dir, 'last_checkpoint')):
            cfg.resume = True
        else:
            warnings.warn(f'--resume: no checkpoint found in {cfg.work_dir}; starting fresh',
                          RuntimeWarning, stacklevel=2)
    runner = build_runner(cfg)
    runner.train()
    return runner


def check_checkpoint(model, path):
    """Raise a one-line ``UsegError`` when the checkpoint's weights do not fit ``model``."""
    checkpoint = load_safe_checkpoint(path)
    state = checkpoint.get('state_dict', checkpoint)
    expected = getattr(model, 'module', model).state_dict()
    missing = [key for key in expected if key not in state]
    unexpected = [key for key in state if key not in expected]
    mismatched = [f'{key} {tuple(state[key].shape)} vs model {tuple(value.shape)}'
                  for key, value in expected.items()
                  if key in state and tuple(state[key].shape) != tuple(value.shape)]
    if missing or unexpected or mismatched:
        parts = [f'{len(items)} {kind} ({", ".join(items[:3])}{", ..." if len(items) > 3 else ""})'
                 for kind, items in (('shape mismatches', mismatched), ('missing keys', missing),
                                     ('unexpected keys', unexpected)) if items]
        raise UsegError(f'checkpoint {path} does not fit the model of this config: ' + '; '.join(parts))
    return checkpoint


def test(cfg, checkpoint, out=None, show_dir=None):
    """Evaluate ``checkpoint`` with ``cfg``'s test loop; returns the metrics dict.

    ``out``: write the metrics as JSON there. ``show_dir``: write Hungarian-matched overlays there.
    """
    if not osp.isfile(checkpoint):
        raise UsegError(f'checkpoint not found: {checkpoint}')
    cfg.load_from = checkpoint
    if show_dir is not None:
        cfg.custom_hooks = list(cfg.get('custom_hooks', None) or []) + [
            dict(type='HungarianVisualizationHook', out_dir=show_dir)]
    runner = build_runner(cfg)
    check_checkpoint(runner.model, checkpoint)
    metrics = runner.test()
    if out is not None:
        with open(out, 'w') as file:
            json.dump({key: float(value) if isinstance(value, (int, float))
                       else value if isinstance(value, list) else str(value)  # e.g. shares
                       for key, value in metrics.items()}, file, indent=2)
    return metrics
