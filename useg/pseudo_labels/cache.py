"""On-disk pseudo-label cache: one PNG per training image under ``cache_dir/<key>/``.

The key hashes everything that changes the maps: the labeler's parameters, the backbone (arch,
weights file digest), the labelling pipeline (resolution) and the dataset (type, root, split).
"""
import json
import os
import os.path as osp

import numpy as np
from PIL import Image

from useg.utils import cache_key, file_digest

COMPLETE_MARKER = 'complete.json'


def _backbone_identity(backbone_cfg):
    backbone = dict(backbone_cfg)
    init_cfg = backbone.pop('init_cfg', None) or {}
    checkpoint = init_cfg.get('checkpoint') if isinstance(init_cfg, dict) else None
    weights = file_digest(checkpoint) if checkpoint and osp.isfile(checkpoint) else checkpoint
    return dict(backbone, weights=weights)


def pseudo_label_cache_key(cfg, labeler_params):
    """The cache key of ``cfg.pseudo_labels`` for a labeler with ``labeler_params``."""
    settings = cfg.pseudo_labels
    dataset = settings.get('dataset') or cfg.train_dataloader.dataset
    params = dict(
        labeler=labeler_params,
        backbone=_backbone_identity(cfg.model.backbone),
        pipeline=settings.pipeline,
        dataset={key: dataset.get(key) for key in ('type', 'data_root', 'data_prefix', 'split',
                                                   'ann_file', 'img_suffix')})
    return cache_key(json.loads(json.dumps(params, default=str)))


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
        Image.fromarray(np.asarray(label_map, dtype=np.uint8)).save(path + '.tmp.png')
        os.replace(path + '.tmp.png', path)  # atomic: an interrupted run leaves no half file

    def load(self, img_path):
        path = self.path_for(img_path)
        if not osp.isfile(path):
            raise FileNotFoundError(f'no cached pseudo label for {img_path} (expected {path}); '
                                    'run tools/precompute_pseudo_labels.py CONFIG')
        return np.asarray(Image.open(path))

    @property
    def complete(self):
        return osp.isfile(osp.join(self.directory, COMPLETE_MARKER))

    def mark_complete(self, summary):
        with open(osp.join(self.directory, COMPLETE_MARKER), 'w') as file:
            json.dump(summary, file, indent=2)


def resolve_pseudo_label_cache(cfg, config_path=None):
    """Point every ``LoadPseudoLabel`` of ``cfg`` at the finished cache, or explain how to build it.

    Returns the cache directory (None when ``cfg`` uses no pseudo labels). Training never builds the
    cache itself: it stops with the exact command to run.
    """
    if not cfg.get('pseudo_labels'):
        return None
    from useg.registry import PSEUDO_LABELERS
    from useg.utils import UsegError
    labeler = PSEUDO_LABELERS.build(cfg.pseudo_labels.labeler)
    directory = osp.join(cfg.pseudo_labels.cache_dir, pseudo_label_cache_key(cfg, labeler.cache_params()))
    if not osp.isfile(osp.join(directory, COMPLETE_MARKER)):
        command = f'python tools/precompute_pseudo_labels.py {config_path or "CONFIG"}'
        raise UsegError(f'pseudo labels are not computed yet (cache {directory} is missing or '
                        f'incomplete); run first: {command}')

    data_root = (cfg.pseudo_labels.get('dataset') or cfg.train_dataloader.dataset).get('data_root')

    def visit(node):
        if isinstance(node, dict):
            if node.get('type') == 'LoadPseudoLabel':
                node.update(cache_dir=directory, data_root=data_root)
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                visit(item)

    visit(cfg._cfg_dict)
    return directory
