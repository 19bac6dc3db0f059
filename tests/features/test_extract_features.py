"""tools/extract_features.py on every shipped tiny config; precompute tools reuse its cache."""
import glob
import os.path as osp

import pytest
import torch

import useg  # noqa: F401
from useg.apis import load_config, set_data_root
from useg.features import FeatureCache, extract_features

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY_CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*', 'tiny_synthetic*.py')))


def tiny_config(path, data_root, tmp_path):
    cfg = load_config(path, work_dir=str(tmp_path / 'work'))
    set_data_root(cfg, data_root)
    return cfg


@pytest.mark.parametrize('config', TINY_CONFIGS, ids=lambda path: osp.relpath(path, REPO_ROOT))
def test_extract_features_works_on_every_tiny_config(config, synthetic_data_root, tmp_path):
    cfg = tiny_config(config, synthetic_data_root, tmp_path)
    cache = extract_features(cfg, batch_size=8, workers=0)
    assert cache.directory.startswith(str(tmp_path / 'work' / 'cache' / 'features'))
    assert cache.features.shape[0] == 16 and cache.features.dtype == 'float32'
    first = cache.meta['sample_ids'][0]
    assert torch.isfinite(FeatureCache(cache.root, cache.key)[first]).all()
    assert extract_features(cfg, batch_size=8, workers=0).key == cache.key  # reused, not rewritten


def test_knn_and_pseudo_label_precompute_reuse_cached_features(synthetic_data_root, tmp_path,
                                                               monkeypatch):
    from useg.models.backbones import DINOViT
    from useg.neighbors import load_knn_table
    from useg.neighbors.precompute import precompute_knn
    stego = tiny_config(osp.join(REPO_ROOT, 'configs', 'stego', 'tiny_synthetic.py'),
                        synthetic_data_root, tmp_path / 'fresh')
    fresh = load_knn_table(precompute_knn(stego, batch_size=8, workers=0))
    stego = tiny_config(osp.join(REPO_ROOT, 'configs', 'stego', 'tiny_synthetic.py'),
                        synthetic_data_root, tmp_path)
    extract_features(stego, batch_size=8, workers=0)
    calls = []
    monkeypatch.setattr(DINOViT, 'forward', lambda self, x: calls.append(x) or 1 / 0)
    reused = load_knn_table(precompute_knn(stego, batch_size=8, workers=0))
    assert not calls  # no backbone pass: the features came from the cache
    assert (reused[0] == fresh[0]).all()
    torch.testing.assert_close(torch.from_numpy(reused[1]), torch.from_numpy(fresh[1]))

    from useg.pseudo_labels import precompute_pseudo_labels
    primaps = tiny_config(osp.join(REPO_ROOT, 'configs', 'primaps', 'tiny_synthetic.py'),
                          synthetic_data_root, tmp_path)
    monkeypatch.undo()
    extract_features(primaps, batch_size=8, workers=0)
    monkeypatch.setattr(DINOViT, 'forward', lambda self, x: calls.append(x) or 1 / 0)
    summary = precompute_pseudo_labels(primaps, workers=0)
    assert not calls and summary['features'] == 'feature cache' and summary['computed'] == 16


def test_shipped_paper_configs_name_a_deterministic_feature_pass():
    from mmengine.registry import init_default_scope

    from useg.features import feature_pass_settings
    from useg.features.feature_memo import DETERMINISTIC_TRANSFORMS
    init_default_scope('useg')
    configs = []  # the first two paper configs of each method (loading all 50 takes ~20 s)
    for folder in sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*'))):
        configs += [path for path in sorted(glob.glob(osp.join(folder, '*.py')))
                    if '_base' not in osp.relpath(path, REPO_ROOT) and 'tiny' not in path][:2]
    assert len(configs) >= 10
    for path in configs:
        dataset, backbone = feature_pass_settings(load_config(path))
        steps = {step['type'] for step in dataset['pipeline']}
        assert steps <= set(DETERMINISTIC_TRANSFORMS) | {'LoadPseudoLabel'}, (path, steps)
        assert backbone.get('type'), path


def test_backbone_precision_runs_the_pass_in_bf16_and_keys_the_cache(synthetic_data_root, tmp_path,
                                                                     monkeypatch):
    from useg.models.backbones import DINOViT
    seen = []
    forward = DINOViT.forward
    monkeypatch.setattr(DINOViT, 'forward', lambda self, x: seen.append(
        torch.get_autocast_dtype('cpu') if torch.is_autocast_enabled('cpu') else None)
        or forward(self, x))
    config = osp.join(REPO_ROOT, 'configs', 'stego', 'tiny_synthetic.py')
    cfg = tiny_config(config, synthetic_data_root, tmp_path)
    full = extract_features(cfg, batch_size=8, workers=0)
    assert set(seen) == {None} and 'backbone_precision' not in full.meta['params']
    seen.clear()
    cfg.model.backbone_precision = 'bf16'  # the config key, as tools/extract_features.py reads it
    half = extract_features(cfg, batch_size=8, workers=0)
    assert set(seen) == {torch.bfloat16} and half.key != full.key  # a cache of its own
    assert half.meta['params']['backbone_precision'] == 'bf16'
    assert extract_features(cfg, batch_size=8, workers=0, amp=torch.bfloat16).key == half.key
    rows = [torch.from_numpy(cache.features[:]) for cache in (full, half)]
    assert not torch.equal(*rows)
    assert torch.nn.functional.cosine_similarity(*rows, dim=1).min() > 0.99
