"""FilterBankBackbone: shapes, determinism, frozen semantics, and features that cluster better
than random-ViT features and patch colour on the hard generated scenes."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import useg  # noqa: F401
from useg.datasets import make_synthetic_dataset
from useg.evaluation import kmeans_baseline
from useg.models.backbones import FilterBankBackbone
from useg.models.backbones.filter_bank import rgb_to_lab
from useg.models.utils import feature_channels
from useg.registry import DATASETS, MODELS
from useg.testing import REPO_ROOT, load_script


def load_learning_benchmark():
    return load_script('benchmarks', 'learning.py')


@pytest.mark.parametrize('size', [(64, 64), (48, 96)])
def test_shapes_and_channels_match_the_base_config(size):
    base = Config.fromfile(osp.join(REPO_ROOT, 'configs', '_base_', 'models', 'backbones',
                                    'filter_bank.py'))
    backbone = MODELS.build(base.backbone)
    feats = backbone(torch.randn(2, 3, *size))
    assert feats.shape == (2, 32, size[0] // 8, size[1] // 8)
    assert feature_channels(backbone) == 32 and backbone.patch_size == 8
    assert torch.isfinite(feats).all() and feats.dtype == torch.float32


def test_deterministic_frozen_and_autocast_safe():
    images = torch.randn(1, 3, 32, 40, generator=torch.Generator().manual_seed(0))
    first, second = FilterBankBackbone(), FilterBankBackbone()
    assert torch.equal(first(images), second(images))
    assert not any(parameter.requires_grad for parameter in first.parameters())
    first.train()
    assert not first.training
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = first(images.bfloat16())
    assert mixed.dtype == torch.float32
    torch.testing.assert_close(mixed, first(images), atol=0.1, rtol=0.05)
    with pytest.raises(ValueError, match='30x40 is not a multiple of the stride 8'):
        first(torch.randn(1, 3, 30, 40))


def test_lab_of_known_colours():
    rgb = torch.tensor([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]).T[None, :, :, None]
    lab = rgb_to_lab(rgb)[0, :, :, 0].T
    torch.testing.assert_close(lab[0], torch.tensor([100.0, 0.0, 0.0]), atol=0.05, rtol=0)
    torch.testing.assert_close(lab[1], torch.tensor([53.24, 80.09, 67.20]), atol=0.1, rtol=0)
    torch.testing.assert_close(lab[2], torch.zeros(3), atol=1e-3, rtol=0)


def test_texture_channels_tell_apart_stripes_of_one_colour():
    rows, cols = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing='ij')
    horizontal = 0.5 * torch.sin(2 * torch.pi * rows / 5)
    vertical = 0.5 * torch.sin(2 * torch.pi * cols / 5)
    images = torch.stack([horizontal, vertical])[:, None].expand(-1, 3, -1, -1).contiguous()
    feats = FilterBankBackbone()(images)[:, :, 2:-2, 2:-2].mean((2, 3))  # away from borders
    colour, texture = feats[:, :6], feats[:, 6:]
    assert (colour[0] - colour[1]).abs().max() < 0.05
    assert (texture[0] - texture[1]).abs().max() > 0.5


def test_kmeans_on_filter_bank_beats_random_vit_and_patch_colour(tmp_path):
    learning = load_learning_benchmark()
    init_default_scope('useg')
    preprocessor = MODELS.build(learning.PREPROCESSOR)
    scores = {name: [] for name in learning.BACKBONES}
    for seed in (0, 1):
        root = make_synthetic_dataset(str(tmp_path / f'scenes{seed}'), 0, 8, (128, 128), 6,
                                      seed, scenes='paired')
        dataset = DATASETS.build(dict(type='ImageFolderDataset', data_root=root, split='val',
                                      num_classes=6, pipeline=learning.EVAL_PIPELINE))
        for name, build in learning.BACKBONES.items():
            torch.manual_seed(seed)
            backbone = build()
            backbone.eval()
            result = kmeans_baseline(backbone, preprocessor, dataset, 6, seeds=(0, ), restarts=3)
            scores[name].append(result[0]['miou'])
    filter_bank = min(scores['filter_bank'])
    assert filter_bank > 85, scores
    assert filter_bank > max(scores['vit_tiny_p8 (random)']) + 20, scores
    assert filter_bank > max(scores['patch mean colour']) + 20, scores
