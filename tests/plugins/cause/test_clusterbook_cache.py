"""The clusterbook cache key follows the backbone, the resolution, the dataset and the parameters."""
import os.path as osp

import torch

from useg.apis import load_config
from useg.registry import MODELS
from useg_cause import clusterbook_path

CONFIG = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'cause', 'tiny_synthetic.py')


def _backbone(arch='vit_tiny_p8', seed=0):
    import useg_cause  # noqa: F401
    torch.manual_seed(seed)
    return MODELS.build(dict(type='DINOViT', arch=arch, init_cfg=None))


def test_key_changes_with_backbone_resolution_dataset_and_parameters(tmp_path):
    cfg = load_config(CONFIG, {'clusterbook.cache_dir': str(tmp_path)})
    backbone = _backbone()
    path = clusterbook_path(cfg, backbone)
    assert path.startswith(str(tmp_path)) and path.endswith('clusterbook.pt')
    assert clusterbook_path(cfg, _backbone()) == path  # same weights, same key
    assert clusterbook_path(cfg, _backbone(seed=1)) != path  # other weights
    assert clusterbook_path(cfg, _backbone('vit_tiny_p14')) != path  # other arch

    def variant(options):
        return clusterbook_path(load_config(CONFIG, {'clusterbook.cache_dir': str(tmp_path),
                                                     **options}), backbone)

    assert variant({'clusterbook.pipeline.2.scale': 64, 'clusterbook.pipeline.3.crop_size': 64}) \
        != path  # resolution
    assert variant({'train_dataloader.dataset.data_root': 'elsewhere'}) != path
    assert variant({'clusterbook.num_codebook': 32}) != path
    assert variant({'clusterbook.temperature': 0.2}) != path
    assert variant({'clusterbook.save_interval': 7}) == path  # does not change the result
