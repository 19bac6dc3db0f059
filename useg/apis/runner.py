"""Train and test through the mmengine Runner, as ``tools/train.py`` and ``tools/test.py`` do."""
import copy
import json
import os
import os.path as osp
import warnings

from mmengine.registry import RUNNERS

from useg.engine import UsegRunner
from useg.engine.resume_checkpoint import check_checkpoint_fits
from useg.engine.work_dir_lock import work_dir_lock
from useg.utils import UsegError, load_safe_checkpoint
from useg.utils.commands import tool_command

SAFE_CHECKPOINT_HOOK = dict(type='SafeCheckpointHook')
FEATURE_MEMO_HOOK = dict(type='FrozenFeatureMemoHook')  # useg.features: frozen features reused


def size_loader_workers(cfg):
    """Lower every ``*_dataloader.num_workers`` above the CPUs this process may use to that
    number, with one warning (instead of torch's warning at every loader start)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count() or 1
    lowered = []
    for key in list(cfg.keys()):
        loader = cfg.get(key)
        if key.endswith('dataloader') and hasattr(loader, 'get') and \
                isinstance(loader.get('num_workers'), int) and loader['num_workers'] > usable:
            lowered.append(f'{key} {loader["num_workers"]}')
            loader['num_workers'] = usable
    if lowered:
        warnings.warn(f'data loading workers lowered to the {usable} CPU(s) this process may use '
                      f'({", ".join(lowered)})', RuntimeWarning, stacklevel=3)
    return cfg


def build_runner(cfg):
    """A :class:`UsegRunner` from ``cfg`` (or ``cfg.runner_type``); the safe-checkpoint hook is
    always present; the frozen-feature memo hook too; loader workers fit the usable CPUs."""
    import useg.features  # noqa: F401  (registers FrozenFeatureMemoHook)
    size_loader_workers(cfg)
    hooks = list(cfg.get('custom_hooks', None) or [])
    for default in (SAFE_CHECKPOINT_HOOK, FEATURE_MEMO_HOOK):
        if not any(hook.get('type') == default['type'] for hook in hooks):
            hooks.append(dict(default))
    cfg.custom_hooks = hooks
    return RUNNERS.build(cfg) if 'runner_type' in cfg else UsegRunner.from_cfg(cfg)


def train(cfg, resume=False, config_path=None):
    """Train ``cfg``; ``resume`` continues from the latest checkpoint in ``cfg.work_dir``.

    The caches of the config's declared precompute steps (``precomputes``) must exist; training
    stops with the exact ``useg precompute`` command when one is missing.
    One training at a time holds the work dir (``useg.engine.work_dir_lock``); partial files of
    an interrupted write are removed.
    """
    from useg.precompute import check_precomputes
    check_precomputes(cfg, config_path)
    if resume:
        if osp.isfile(osp.join(cfg.work_dir, 'last_checkpoint')):
            cfg.resume = True
        else:
            warnings.warn(f'--resume: no checkpoint found in {cfg.work_dir}; starting fresh',
                          RuntimeWarning, stacklevel=2)
    if cfg.get('val_dataloader') and cfg.get('val_cfg') is not None and \
            not split_has_labels(cfg, 'val_dataloader'):
        warnings.warn('the validation images have no labels: training without validation '
                      '(evaluation needs labels/<split>/<name>.png)', RuntimeWarning, stacklevel=2)
        cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    with work_dir_lock(cfg.work_dir):
        runner = build_runner(cfg)
        runner.train()
    return runner


def split_has_labels(cfg, loader):
    """Whether the first sample of ``cfg[loader]``'s dataset has a label file."""
    from mmengine.registry import init_default_scope

    from useg.registry import DATASETS
    init_default_scope(cfg.get('default_scope', 'useg'))
    dataset = DATASETS.build(copy.deepcopy(cfg[loader]['dataset']))
    return len(dataset) > 0 and dataset.get_data_info(0).get('seg_map_path') is not None


def check_checkpoint(model, path):
    """Raise a one-line ``UsegError`` when the checkpoint's weights do not fit ``model``."""
    return check_checkpoint_fits(model, load_safe_checkpoint(path), path)


def skip_backbone_weights_file(cfg, checkpoint):
    """When ``checkpoint`` holds the backbone's weights (``backbone.*``), build the backbone
    without reading the file named in ``model.backbone.init_cfg``: the checkpoint overwrites it."""
    state = checkpoint.get('state_dict', checkpoint)
    backbone = cfg.model.get('backbone')
    if isinstance(backbone, dict) and backbone.get('init_cfg') is not None and \
            any(key.startswith('backbone.') for key in state):
        backbone['init_cfg'] = None


def test(cfg, checkpoint, out=None, show_dir=None):
    """Evaluate ``checkpoint`` with ``cfg``'s test loop; returns the metrics dict.

    ``out``: write the metrics as JSON there. ``show_dir``: write Hungarian-matched overlays there.
    """
    state = load_safe_checkpoint(checkpoint)
    if not split_has_labels(cfg, 'test_dataloader'):
        dataset = cfg.test_dataloader.dataset
        raise UsegError(f'evaluation needs labels, and the test images of '
                        f'{dataset.get("data_root", "the test dataset")} have none: put them in '
                        f'labels/<split>/<name>.png, or use {tool_command("infer.py")} to segment '
                        f'unlabelled images')
    cfg.load_from = checkpoint
    skip_backbone_weights_file(cfg, state)
    if show_dir is not None:
        cfg.custom_hooks = list(cfg.get('custom_hooks', None) or []) + [
            dict(type='HungarianVisualizationHook', out_dir=show_dir)]
    runner = build_runner(cfg)
    check_checkpoint_fits(runner.model, state, checkpoint)
    runner._preloaded_checkpoints = {checkpoint: state}
    metrics = runner.test()
    if out is not None:
        with open(out, 'w') as file:
            json.dump({key: float(value) if isinstance(value, (int, float))
                       else value if isinstance(value, list) else str(value)  # e.g. shares
                       for key, value in metrics.items()}, file, indent=2)
    return metrics
