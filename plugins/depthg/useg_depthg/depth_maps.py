"""The depth maps a DepthG config trains with: which files, whether they exist, and filling them.

A config declares ``depth_maps = dict(model_dir=..., depth_root=..., suffix='.png', kind='auto',
batch_size=1)`` (or ``layout=True`` for the generated scenes) and the precompute step
``precomputes = [..., 'depth']`` (:class:`useg_depthg.DepthMapsStep`); ``useg precompute CONFIG``
then writes one file per training image where :class:`LoadDepthMap` (same ``depth_root`` / ``suffix``) reads it.
"""
import os
import os.path as osp

import numpy as np
from mmengine.registry import init_default_scope
from PIL import Image

from useg.features.pass_key import dataset_image_paths
from useg.precompute import precompute_command
from useg.registry import DATASETS
from useg.utils import UsegError
from .load_depth_map import depth_file_for
from .precompute import precompute_depth_maps

DEFAULTS = dict(model_dir=None, depth_root=None, suffix='.png', kind='auto', batch_size=1, layout=False)


def depth_settings(cfg):
    """``cfg.depth_maps`` with defaults (a one-line error when the config has none)."""
    if not cfg.get('depth_maps'):
        raise UsegError('the config defines no depth maps (cfg.depth_maps)')
    return {**DEFAULTS, **cfg.depth_maps}


def training_samples(cfg):
    """``[(img_path, seg_map_path or None)]`` of the training set (dataset wrappers removed)."""
    init_default_scope(cfg.get('default_scope', 'useg'))
    dataset_cfg = cfg.train_dataloader.dataset
    while 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    dataset = DATASETS.build(dataset_cfg)
    if hasattr(dataset, 'full_init'):
        dataset.full_init()
    labels = [dataset.get_data_info(index).get('seg_map_path') for index in range(len(dataset))]
    return list(zip(dataset_image_paths(dataset), labels))


def missing_depth_maps(cfg):
    """Training images whose depth file is absent."""
    settings = depth_settings(cfg)
    return [path for path, _ in training_samples(cfg)
            if not osp.isfile(depth_file_for(path, settings['depth_root'], settings['suffix']))]


def layout_depth(label):
    """A depth in [0, 1] that follows a scene's layout: far at the top, each class at its own offset."""
    height = label.shape[0]
    rows = 1 - np.arange(height, dtype=np.float32)[:, None] / max(height - 1, 1)
    classes = np.where(label == 255, 0, label).astype(np.float32)
    return (0.5 * rows + 0.5 * classes / max(float(classes.max()), 1.0)).astype(np.float32)


def precompute_config_depth(cfg, workers=2, device='cpu', force=False):
    """Write the missing depth maps of ``cfg``'s training images; returns the written paths."""
    settings = depth_settings(cfg)
    samples = training_samples(cfg)
    targets = {path: depth_file_for(path, settings['depth_root'], settings['suffix']) for path, _ in samples}
    todo = [(path, label) for path, label in samples if force or not osp.isfile(targets[path])]
    if not todo:
        return []
    if settings['layout']:
        written = []
        for path, label in todo:
            if label is None:
                raise UsegError(f'layout depth needs a label map for {path}')
            depth = layout_depth(np.array(Image.open(label)))
            os.makedirs(osp.dirname(targets[path]) or '.', exist_ok=True)
            np.save(targets[path], depth)
            written.append(targets[path])
        return written
    if settings['model_dir'] is None or settings['depth_root'] is None:
        raise UsegError('depth_maps needs model_dir (a local transformers depth model) and depth_root '
                        '(where the PNGs go), or write image-aligned depth files yourself')
    if settings['suffix'] != '.png':
        raise UsegError(f"the depth precompute writes .png files; the config reads {settings['suffix']!r}")
    return precompute_depth_maps([path for path, _ in todo], settings['depth_root'], settings['model_dir'],
                                 device=device, kind=settings['kind'], batch_size=settings['batch_size'])


def check_depth_maps(cfg, config_path=None):
    """At the start of training: a one-line :class:`UsegError` with the exact command when a training
    image has no depth file."""
    missing = missing_depth_maps(cfg)
    if missing:
        raise UsegError(f'{len(missing)} training images have no depth map (e.g. {missing[0]}); run '
                        f'first: {precompute_command(config_path, cfg.get("work_dir"))}')
