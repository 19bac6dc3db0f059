"""Saliency priors: the authors' post-processing, strict 0/255 files, DINO attention masks."""
import numpy as np
import pytest
import torch
from PIL import Image

from useg.registry import PSEUDO_LABELERS
from useg_maskcontrast import postprocess_saliency, read_binary_saliency
from useg_maskcontrast.dino_attention_saliency import attention_mass_mask


def square(mask, top, left, side, value=1.0):
    mask[top:top + side, left:left + side] = value
    return mask


def test_postprocess_thresholds_and_erases_small_segments():
    probability = np.zeros((100, 100), np.float32)
    square(probability, 10, 10, 30, 0.9)  # 9% of the image: kept
    square(probability, 70, 70, 5, 0.9)  # 0.25%: erased
    square(probability, 60, 10, 20, 0.5)  # exactly 0.5 is not above the threshold
    mask = postprocess_saliency(probability)
    assert mask.dtype == np.uint8 and set(np.unique(mask)) == {0, 1}
    assert mask[10:40, 10:40].all() and mask.sum() == 900


def test_postprocess_drops_near_empty_masks():
    probability = square(np.zeros((100, 100), np.float32), 0, 0, 9)  # 0.81% < 1%
    assert postprocess_saliency(probability) is None
    assert postprocess_saliency(np.zeros((50, 50))) is None
    with pytest.raises(ValueError, match='must be'):
        postprocess_saliency(np.zeros((2, 5, 5)))


def save_png(path, array, mode=None):
    Image.fromarray(array, mode).save(path)
    return str(path)


def test_read_binary_saliency_accepts_exactly_0_255(tmp_path):
    values = square(np.zeros((8, 8), np.uint8), 2, 2, 3, 255)
    mask = read_binary_saliency(save_png(tmp_path / 'ok.png', values))
    assert mask.sum() == 9 and mask.max() == 1


@pytest.mark.parametrize('values, message', [
    (square(np.zeros((8, 8), np.uint8), 2, 2, 3, 1), r'only 0 \(background\) and 255'),
    (np.full((8, 8), 128, np.uint8), 'found \\[128\\]'),
    (np.zeros((8, 8, 3), np.uint8), 'single-channel'),
])
def test_read_binary_saliency_rejects_other_encodings(tmp_path, values, message):
    path = save_png(tmp_path / 'bad.png', values)
    with pytest.raises(ValueError, match=message) as error:
        read_binary_saliency(path)
    assert 'bad.png' in str(error.value)


def test_saliency_from_files_labeler(tmp_path):
    saliency_dir = tmp_path / 'saliency'
    saliency_dir.mkdir()
    save_png(saliency_dir / 'big.png', square(np.zeros((20, 20), np.uint8), 0, 0, 10, 255))
    save_png(saliency_dir / 'tiny.png', square(np.zeros((20, 20), np.uint8), 0, 0, 1, 255))
    labeler = PSEUDO_LABELERS.build(dict(type='SaliencyFromFiles', saliency_dir=str(saliency_dir)))
    images = torch.zeros(3, 20, 20, 3, dtype=torch.uint8)
    maps = labeler(None, images, img_paths=['a/big.jpg', 'a/tiny.jpg', 'a/missing.jpg'])
    assert maps.shape == (3, 20, 20) and maps.dtype == torch.uint8
    assert maps[0].sum() == 100 and (maps[0] <= 1).all()
    assert (maps[1] == 255).all() and (maps[2] == 255).all()  # dropped (0.25%) and missing
    assert labeler.load('x/missing.jpg') is None
    assert labeler.cache_params()['saliency_dir'] == str(saliency_dir)
    with pytest.raises(ValueError, match='img_paths'):
        labeler(None, images)


def test_attention_mass_mask_keeps_the_top_mass():
    attention = torch.tensor([[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]])
    keep = attention_mass_mask(attention, 0.6)
    assert keep.tolist() == [[True, True, False, False], [False, False, False, True]]


def test_dino_attention_saliency_runs_on_a_random_tiny_vit():
    torch.manual_seed(0)
    labeler = PSEUDO_LABELERS.build(dict(
        type='DINOAttentionSaliency', backbone=dict(type='DINOViT', arch='vit_tiny_p8'), mass=0.6))
    assert not labeler.requires_features
    images = torch.randint(0, 256, (2, 36, 44, 3), dtype=torch.uint8)
    maps = labeler(None, images)
    assert maps.shape == (2, 36, 44) and maps.dtype == torch.uint8
    assert set(maps.unique().tolist()) <= {0, 1, 255}
    for label_map in maps:  # either a kept mask or a dropped image
        assert (label_map == 255).all() or (label_map <= 1).all()
    assert labeler.cache_params()['backbone']['arch'] == 'vit_tiny_p8'
