"""On-disk pseudo-label cache: one PNG per training image under ``<cache_dir>/<key>/``.

The key is the frozen-pass key (:func:`useg.features.frozen_pass_params`: backbone and weights when
the labeler reads features, the labelling dataset and pipeline, the ordered image-list digest with
sizes and mtimes) plus the labeler's parameters and the seed. A relative (or absent)
``pseudo_labels.cache_dir`` lives under the cache root (``$USEG_CACHE`` or ``<work_dir>/cache``).
"""
import json
import os
import os.path as osp

import numpy as np
from PIL import Image

from useg.features.frozen_pass import (FrozenBackbonePass, backbone_precision, feature_cache_dir,
                                      with_pipeline)
from useg.utils import UsegError, atomic_path, config_seed, resolve_cache_dir

COMPLETE_MARKER = 'complete.json'


def pseudo_label_pass(cfg, labeler, batch_size=None, workers=2, device='cpu'):
    """The :class:`FrozenBackbonePass` of ``cfg.pseudo_labels`` for a built ``labeler``."""
    settings = cfg.pseudo_labels
    dataset = with_pipeline(settings.get('dataset') or cfg.train_dataloader.dataset,
                            settings.pipeline)
    backbone = cfg.model.backbone if labeler.requires_features else None
    return FrozenBackbonePass(dataset, backbone, cfg.model.data_preprocessor,
                              batch_size=batch_size or settings.get('batch_size', 8),
                              workers=workers, device=device, seed=config_seed(cfg),
                              feature_dir=feature_cache_dir(cfg), precision=backbone_precision(cfg))


def pseudo_label_cache_key(features, labeler_params):
    """The cache key of a pseudo-label pass (:func:`pseudo_label_pass`) and labeler parameters."""
    return features.key(labeler=labeler_params, seed=features.seed)


def pseudo_label_cache(cfg, features, labeler_params):
    """The :class:`PseudoLabelCache` of ``cfg`` for a pass and labeler parameters."""
    root = resolve_cache_dir(cfg.pseudo_labels.get('cache_dir'), cfg.get('work_dir'),
                             'pseudo_labels')
    return PseudoLabelCache(osp.join(root, pseudo_label_cache_key(features, labeler_params)),
                            features.dataset_cfg.get('data_root'))


class PseudoLabelCache:
    """PNG maps keyed by an image's path relative to ``data_root``."""

    def __init__(self, directory, data_root):
        self.directory = directory
        self.data_root = data_root

    def path_for(self, img_path):
        relative = osp.relpath(img_path, self.data_root) if self.data_root else osp.basename(img_path)
        return osp.join(self.directory, osp.splitext(relative)[0] + '.png')

    def has(self, img_path):
        return osp.isfile(self.path_for(img_path))

    def save(self, img_path, label_map):
        path = self.path_for(img_path)
        os.makedirs(osp.dirname(path), exist_ok=True)
        with atomic_path(path) as partial:  # an interrupted or full-disk write leaves no half file
            Image.fromarray(np.asarray(label_map, dtype=np.uint8)).save(partial)

    def load(self, img_path):
        path = self.path_for(img_path)
        if not osp.isfile(path):
            raise FileNotFoundError(f'no cached pseudo label for {img_path} (expected {path}); '
                                    'run useg precompute CONFIG')
        return np.asarray(Image.open(path))

    @property
    def complete(self):
        return osp.isfile(osp.join(self.directory, COMPLETE_MARKER))

    def mark_complete(self, summary):
        path = osp.join(self.directory, COMPLETE_MARKER)
        with atomic_path(path) as partial, open(partial, 'w') as file:
            json.dump(summary, file, indent=2)


def resolve_pseudo_label_cache(cfg, config_path=None):
    """At the start of training: point every ``LoadPseudoLabel`` of ``cfg`` at its finished cache,
    or stop with the exact command that builds it.

    The cache must be complete for the current image list (an added, removed or replaced image
    gives another key) and hold a map for every training image. Returns the cache directory (None
    when ``cfg`` uses no pseudo labels).
    """
    if not cfg.get('pseudo_labels'):
        return None
    from mmengine.registry import init_default_scope

    from useg.registry import PSEUDO_LABELERS
    init_default_scope(cfg.get('default_scope', 'useg'))
    labeler = PSEUDO_LABELERS.build(cfg.pseudo_labels.labeler)
    features = pseudo_label_pass(cfg, labeler)
    cache = pseudo_label_cache(cfg, features, labeler.cache_params())
    from useg.precompute import precompute_command
    command = precompute_command(config_path, cfg.get('work_dir'))
    if not cache.complete:
        raise UsegError(f'pseudo labels are not computed yet for these images and settings (cache '
                        f'{cache.directory} is missing or incomplete); run first: {command}')
    train_paths = features.img_paths
    if cfg.pseudo_labels.get('dataset') is not None:  # labelled elsewhere: check the training set
        from useg.features.pass_key import dataset_image_paths
        from useg.registry import DATASETS
        train_paths = dataset_image_paths(DATASETS.build(cfg.train_dataloader.dataset))
    missing = [path for path in train_paths if not cache.has(path)]
    if missing:
        raise UsegError(f'{len(missing)} of {len(train_paths)} training images have no cached pseudo '
                        f'label (first: {missing[0]}); run: {command}')

    def visit(node):
        if isinstance(node, dict):
            if node.get('type') == 'LoadPseudoLabel':
                node.update(cache_dir=cache.directory, data_root=cache.data_root)
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                visit(item)

    visit(cfg._cfg_dict)
    return cache.directory
