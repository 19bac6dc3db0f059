"""Every precompute step on a folder shaped like real photos: mixed sizes and orientations, a
greyscale, an RGBA and a 16-bit PNG (labels at each image's own size)."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from tests.apis.test_mixed_size_folder import write_photo_folder
from useg.apis import load_config
from useg.datasets.transforms.pil_resize import short_side_size
from useg.precompute import check_precomputes, run_precomputes
from useg.testing import REPO_ROOT, single_process_loaders

# (height, width, kind): landscape, portrait, square, odd sizes (not multiples of the patch size)
IMAGES = [(40, 64, 'rgb'), (72, 48, 'grey'), (57, 57, 'rgba'), (48, 90, 'rgb16'), (61, 43, 'rgb'),
          (44, 52, 'grey16')]


@pytest.fixture(scope='module')
def photo_folder(tmp_path_factory):
    return write_photo_folder(str(tmp_path_factory.mktemp('photos')), IMAGES)


def own_data_config(method, photo_folder, tmp_path, extra='', crop_size=32):
    """``configs/<method>/tiny_synthetic.py`` on the photo folder (the README's own-data recipe)."""
    config = tmp_path / f'{method}_photos.py'
    config.write_text(f"_base_ = [{f'{REPO_ROOT}/configs/{method}/tiny_synthetic.py'!r}]\n"
                      f"own_data = dict(data_root={photo_folder!r}, num_classes=4, "
                      f"crop_size={crop_size})\n"
                      + extra)
    cfg = load_config(str(config), work_dir=str(tmp_path / 'work'))
    single_process_loaders(cfg)
    return cfg


def train_images(photo_folder):
    return sorted(osp.join(photo_folder, 'imgs', 'train', name)
                  for name in os.listdir(osp.join(photo_folder, 'imgs', 'train')))


def test_pseudo_labels_of_a_mixed_folder(photo_folder, tmp_path):
    cfg = own_data_config('primaps', photo_folder, tmp_path)
    assert run_precomputes(cfg, workers=0) == ['pseudo_labels']
    assert check_precomputes(cfg) == ['pseudo_labels']
    maps = sorted((tmp_path / 'work' / 'cache').rglob('photo*.png'))
    assert len(maps) == len(IMAGES)


def test_pseudo_labels_keep_each_image_at_its_own_size(photo_folder, tmp_path):
    """No crop in the labelling pipeline: every map has its image's (resized) shape."""
    cfg = own_data_config('primaps', photo_folder, tmp_path, extra=(
        "pseudo_labels = dict(batch_size=5, pipeline=[dict(type='LoadImageFromFile'), "
        "dict(type='PILResizeShortSide', scale=32), dict(type='PackSegInputs')])\n"))
    run_precomputes(cfg, workers=0)
    shapes = {}
    for path in (tmp_path / 'work' / 'cache').rglob('photo*.png'):
        shapes[path.name] = np.asarray(Image.open(path)).shape
    assert shapes == {f'photo{index}.png': short_side_size(height, width, 32)
                      for index, (height, width, _) in enumerate(IMAGES)}


def test_knn_table_of_a_mixed_folder(photo_folder, tmp_path):
    from useg.neighbors import load_knn_table
    cfg = own_data_config('stego', photo_folder, tmp_path)
    assert run_precomputes(cfg, workers=0) == ['knn']
    path = check_precomputes(cfg) and cfg.train_dataloader.dataset.knn_file
    indices, similarities = load_knn_table(path)
    assert indices.shape == (len(IMAGES), 5) and (indices[:, 0] == np.arange(len(IMAGES))).all()
    assert np.isfinite(similarities).all()


def test_clusterbook_of_a_mixed_folder(photo_folder, tmp_path):
    import torch
    from useg_cause import resolve_clusterbook
    cfg = own_data_config('cause', photo_folder, tmp_path, crop_size=64)  # 8 x 8 token grids
    assert run_precomputes(cfg, workers=0) == ['clusterbook']
    check_precomputes(cfg)
    path, codebook = resolve_clusterbook(cfg)
    assert codebook.shape == (16, 48) and torch.isfinite(codebook).all()


def test_depth_maps_of_a_mixed_folder(photo_folder, tmp_path):
    """Layout depth (from the labels) for every image, at the image's own size."""
    cfg = own_data_config('depthg', photo_folder, tmp_path,
                          extra=f"depth_root = {str(tmp_path / 'depth')!r}\n")
    assert run_precomputes(cfg, workers=0) == ['knn', 'depth']
    check_precomputes(cfg)
    depth = sorted((tmp_path / 'depth').rglob('*'))
    assert len([path for path in depth if path.is_file()]) == len(IMAGES)


def test_depth_model_maps_of_a_mixed_folder(photo_folder, tmp_path):
    """A (tiny, random) transformers depth model keeping each image's aspect ratio: one batch of
    every size, a map at each image's own size; 16-bit greyscale read as 8 bits, not saturated."""
    import torch
    import transformers
    from useg_depthg.precompute import read_rgb
    torch.manual_seed(0)
    backbone = transformers.Dinov2Config(
        hidden_size=16, num_hidden_layers=4, num_attention_heads=2, intermediate_size=32,
        patch_size=14, image_size=28, out_features=['stage1', 'stage2', 'stage3', 'stage4'],
        reshape_hidden_states=False)
    model = transformers.DepthAnythingForDepthEstimation(transformers.DepthAnythingConfig(
        backbone_config=backbone, reassemble_hidden_size=16, neck_hidden_sizes=[8, 8, 8, 8],
        fusion_hidden_size=8, head_hidden_size=8, patch_size=14))
    processor = transformers.DPTImageProcessor(size=dict(height=28, width=28), keep_aspect_ratio=True,
                                               ensure_multiple_of=14)
    model.save_pretrained(tmp_path / 'model')
    processor.save_pretrained(tmp_path / 'model')
    cfg = own_data_config('depthg', photo_folder, tmp_path, extra=(
        f"depth_maps = dict(layout=False, model_dir={str(tmp_path / 'model')!r}, "
        f"depth_root={str(tmp_path / 'depth')!r}, batch_size={len(IMAGES)})\n"
        f"depth_root = {str(tmp_path / 'depth')!r}\ndepth_suffix = '.png'\n"))
    assert run_precomputes(cfg, workers=0, steps=['depth']) == ['depth']
    for index, (height, width, _) in enumerate(IMAGES):
        depth = np.asarray(Image.open(tmp_path / 'depth' / f'photo{index}.png'))
        assert depth.shape == (height, width) and depth.dtype == np.uint8
    grey16 = osp.join(photo_folder, 'imgs', 'train', f'photo{len(IMAGES) - 1}.png')
    raw = np.asarray(Image.open(grey16)).astype(np.int64)
    assert np.array_equal(np.asarray(read_rgb(grey16))[..., 0], raw >> 8)
