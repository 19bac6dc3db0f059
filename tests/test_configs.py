"""Every shipped config loads as the tools load it, and every ``type`` it names is registered
(model, datasets, transforms, hooks, metrics, schedulers, optimisers); transforms are built."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

from useg.apis import load_config
from useg.registry import (DATASETS, EVALUATOR, HOOKS, METRICS, MODELS, OPTIM_WRAPPERS, OPTIMIZERS,
                           PARAM_SCHEDULERS, PSEUDO_LABELERS, TRANSFORMS, VISBACKENDS, VISUALIZERS,
                           WEIGHT_INITIALIZERS)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(path for path in glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
                 if f'{osp.sep}_base_{osp.sep}' not in path and not path.endswith('_base.py'))
# Registry of a dict's ``type`` by the key it stands under (the nearest one that names it).
REGISTRY_OF_KEY = {'model': MODELS, 'init_cfg': WEIGHT_INITIALIZERS, 'dataset': DATASETS,
                   'pipeline': TRANSFORMS, 'view_pipeline': TRANSFORMS, 'custom_hooks': HOOKS,
                   'default_hooks': HOOKS, 'val_evaluator': METRICS, 'test_evaluator': METRICS,
                   'param_scheduler': PARAM_SCHEDULERS, 'optimizer': OPTIMIZERS,
                   'optim_wrapper': OPTIM_WRAPPERS, 'labeler': PSEUDO_LABELERS,
                   'visualizer': VISUALIZERS, 'vis_backends': VISBACKENDS,
                   'evaluator': EVALUATOR, 'backbone': MODELS}
NESTED_KEYS = {'init_cfg', 'dataset', 'pipeline', 'view_pipeline', 'optimizer', 'labeler', 'backbone',
               'vis_backends'}
NOT_BUILT = {'sampler', 'train_cfg', 'val_cfg', 'test_cfg', 'knn'}  # loops / samplers by name


def typed_dicts(node, registry=None, path=''):
    """``(path, registry, cfg)`` of every dict with a ``type`` under ``node``."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get('type'), str) and registry is not None:
            found.append((path, registry, node))
        for key, value in node.items():
            if key in NOT_BUILT:
                continue
            nested = key in NESTED_KEYS or not path  # other keys name a registry at the top only
            found += typed_dicts(value, REGISTRY_OF_KEY.get(key, registry) if nested else registry,
                                 f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            found += typed_dicts(item, registry, f'{path}[{index}]')
    return found


def config_id(path):
    return osp.relpath(path, osp.join(REPO_ROOT, 'configs'))


@pytest.mark.parametrize('path', CONFIGS, ids=config_id)
def test_every_type_is_registered_and_transforms_build(path):
    cfg = load_config(path)
    assert cfg.default_scope == 'useg'
    found = typed_dicts(cfg.to_dict())
    assert any(registry is MODELS for _, registry, _ in found)
    for where, registry, item in found:
        if registry is MODELS and item['type'] == 'Pretrained':
            continue  # an init_cfg under a backbone
        assert registry.get(item['type']) is not None, f'{item["type"]} at {where} ({path})'
        if registry is TRANSFORMS:
            TRANSFORMS.build(item)
    assert '${' not in cfg.pretty_text, 'unresolved config variable'
    names = {item['type'] for _, _, item in found}
    assert 'SafeCheckpointHook' not in names  # the runner adds it
    # An official DINO/DINOv2 arch without a weights file would silently train on random weights.
    backbone = cfg.model.get('backbone') or {}
    if str(backbone.get('arch', '')).startswith('dino'):
        init_cfg = backbone.get('init_cfg') or {}
        assert init_cfg.get('type') == 'Pretrained' and init_cfg.get('checkpoint'), path


DATASETS = ('cocostuff27', 'cityscapes27', 'potsdam3', 'voc', 'coco-voc')
BACKBONES = ('dino_vits8', 'dino_vitb8', 'dinov2_vits14', 'dinov2_vitb14', 'dinov3_vits16',
             'dinov3_vitb16', 'r50')


@pytest.mark.parametrize('path', CONFIGS, ids=config_id)
def test_config_name_follows_the_scheme(path):
    """``{method}_{backbone}_{dataset}[_{variant}].py`` with one spelling per dataset."""
    name = osp.basename(path)[:-3]
    if 'tiny_synthetic' in name or name in ('dinov2_vitb14_cs', 'cause_tr_dinov2_vitb14_coco'):
        return  # flagship aliases
    assert name.startswith(osp.basename(osp.dirname(path)) + '_')
    assert re.search(rf'_({"|".join(BACKBONES)})_({"|".join(DATASETS)})(_|$)', name)


@pytest.mark.parametrize('path', [path for path in CONFIGS if 'tiny_synthetic' not in path],
                         ids=config_id)
def test_precompute_caches_are_not_pinned_to_the_working_directory(path):
    """KNN tables and pseudo labels default to <work_dir>/cache or $USEG_CACHE (no cwd-relative
    ``cache_dir``); the tiny configs may set their own."""
    cfg = Config.fromfile(path, import_custom_modules=False)
    for section in (cfg.get('knn'), cfg.get('pseudo_labels')):
        cache_dir = (section or {}).get('cache_dir')
        assert cache_dir is None or osp.isabs(cache_dir), cache_dir


def test_every_paper_has_configs_and_a_tiny_synthetic_one():
    for paper in ('primaps', 'stego', 'smooseg', 'maskcontrast', 'hsg', 'baseline', 'cause'):
        assert osp.isfile(osp.join(REPO_ROOT, 'configs', paper, 'tiny_synthetic.py')), paper
    flagship = load_config(osp.join(REPO_ROOT, 'configs', 'primaps', 'dinov2_vitb14_cs.py'))
    canonical = load_config(osp.join(REPO_ROOT, 'configs', 'primaps',
                                     'primaps_dinov2_vitb14_cityscapes27.py'))
    assert flagship.to_dict() == {**canonical.to_dict(), 'work_dir': flagship.work_dir}
    flagship = load_config(osp.join(REPO_ROOT, 'configs', 'cause', 'cause_tr_dinov2_vitb14_coco.py'))
    canonical = load_config(osp.join(REPO_ROOT, 'configs', 'cause',
                                     'cause_tr_dinov2_vitb14_cocostuff27.py'))
    assert flagship.to_dict() == {**canonical.to_dict(), 'work_dir': flagship.work_dir}



def test_cluster_metrics_count_every_cluster_the_probe_predicts():
    """A cluster probe with extra clusters (EAGLE: 27 + 5) predicts ids >= num_classes; the
    cluster metrics must be sized for them, or evaluation stops at the first such pixel."""
    checked = []
    for path in CONFIGS:
        cfg = load_config(path)
        probe = (cfg.model.get('cluster_probe') or {}).get('num_clusters')
        for metric in cfg.get('test_evaluator') or []:
            if probe and metric['type'] == 'HungarianMetric' and metric.get('mode') == 'hungarian':
                counted = metric.get('num_clusters') or metric.get('num_classes') or cfg.num_classes
                assert counted == probe, (config_id(path), metric['prefix'])
                checked.append((config_id(path), probe > cfg.num_classes))
    assert any(extra for _, extra in checked) and len({path for path, _ in checked}) > 50
