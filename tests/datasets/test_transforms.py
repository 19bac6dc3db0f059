import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from PIL import Image

from useg.datasets.transforms import pil_resize


def build(*transforms):
    return Compose(list(transforms))


def position_results(height, width):
    """img encodes each pixel's row/col; the labels are copies, so crops can be compared."""
    rows, cols = np.mgrid[0:height, 0:width]
    img = np.stack([rows, cols, np.zeros_like(rows)], -1).astype(np.uint8)
    return dict(img=img, gt_seg_map=rows.astype(np.uint8), pseudo_seg_map=cols.astype(np.uint8),
                seg_fields=['gt_seg_map', 'pseudo_seg_map'])


def test_pil_nearest_matches_the_reference_rule_not_cv2_nearest():
    source = np.arange(7 * 5, dtype=np.uint8).reshape(7, 5)
    resized = pil_resize(source, (3, 4), 'nearest')
    rows = np.floor((np.arange(3) + 0.5) * 7 / 3).astype(int)
    cols = np.floor((np.arange(4) + 0.5) * 5 / 4).astype(int)
    assert (resized == source[rows][:, cols]).all()
    exact = cv2.resize(source, (4, 3), interpolation=cv2.INTER_NEAREST_EXACT)
    assert (resized == exact).all()
    assert not (resized == cv2.resize(source, (4, 3), interpolation=cv2.INTER_NEAREST)).all()


def test_resize_short_side_truncates_long_side_and_resizes_labels_nearest():
    results = position_results(30, 47)
    out = build(dict(type='PILResizeShortSide', scale=20))(results)
    assert out['img'].shape == (20, 31, 3)  # int(20 * 47 / 30) = 31
    assert out['img_shape'] == (20, 31)
    assert (out['gt_seg_map'] == out['img'][..., 0]).all()
    assert (out['pseudo_seg_map'] == out['img'][..., 1]).all()
    portrait = build(dict(type='PILResizeShortSide', scale=10, interpolation='bilinear'))(
        position_results(33, 20))
    assert portrait['img'].shape == (16, 10, 3)
    bilinear = np.asarray(Image.fromarray(position_results(33, 20)['img']).resize(
        (10, 16), Image.BILINEAR))
    assert (portrait['img'] == bilinear).all()


def test_center_crop_uses_torchvision_offsets_on_every_seg_field():
    out = build(dict(type='TorchvisionCenterCrop', crop_size=4))(position_results(9, 8))
    assert out['img'].shape == (4, 4, 3)
    # top = round(5 / 2) = 2 (banker's rounding), left = round(4 / 2) = 2
    assert out['gt_seg_map'][:, 0].tolist() == [2, 3, 4, 5]
    assert out['pseudo_seg_map'][0].tolist() == [2, 3, 4, 5]
    padded = build(dict(type='TorchvisionCenterCrop', crop_size=(4, 6)))(position_results(4, 4))
    assert padded['gt_seg_map'][:, 0].tolist() == [255] * 4
    assert padded['img'][:, 0].tolist() == [[0, 0, 0]] * 4


def test_random_resized_crop_crops_image_and_labels_consistently():
    torch.manual_seed(0)
    transform = build(dict(type='RandomResizedCrop', size=6, scale=(0.2, 0.5),
                           interpolation='nearest'))
    for _ in range(5):
        out = transform(position_results(40, 30))
        assert out['img'].shape == (6, 6, 3) and out['img_shape'] == (6, 6)
        assert (out['gt_seg_map'] == out['img'][..., 0]).all()
        assert (out['pseudo_seg_map'] == out['img'][..., 1]).all()
        assert out['gt_seg_map'].max() - out['gt_seg_map'].min() < 40


def test_photometric_transforms_change_only_the_image():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    label = rng.integers(0, 5, (16, 16), dtype=np.uint8)
    gray = build(dict(type='TorchvisionRandomGrayscale', prob=1.0))(
        dict(img=image.copy(), gt_seg_map=label.copy(), seg_fields=['gt_seg_map']))
    assert (gray['img'][..., 0] == gray['img'][..., 1]).all()
    expected = np.round(image[..., 2] * 0.299 + image[..., 1] * 0.587 + image[..., 0] * 0.114)
    assert np.abs(gray['img'][..., 0].astype(int) - expected).max() <= 1
    assert (gray['gt_seg_map'] == label).all()
    torch.manual_seed(0)
    for cfg in (dict(type='ColorJitter', brightness=0.3, contrast=0.3, saturation=0.3, hue=0.1),
                dict(type='RandomGaussianBlur', prob=1.0, kernel_size=5)):
        out = build(cfg)(dict(img=image.copy(), gt_seg_map=label.copy(),
                              seg_fields=['gt_seg_map']))
        assert out['img'].dtype == np.uint8 and out['img'].shape == image.shape
        assert not (out['img'] == image).all()
        assert (out['gt_seg_map'] == label).all()
    untouched = build(dict(type='RandomGaussianBlur', prob=0.0))(dict(img=image.copy()))
    assert (untouched['img'] == image).all()


def test_bad_interpolation():
    with pytest.raises(ValueError, match='interpolation'):
        build(dict(type='PILResizeShortSide', scale=8, interpolation='area'))
