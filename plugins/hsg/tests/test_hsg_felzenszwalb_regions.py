"""Region merging to a budget and the Felzenszwalb pseudo labeler."""
import numpy as np
import pytest
import torch

from useg.registry import PSEUDO_LABELERS
from useg_hsg import merge_regions


def test_weakest_boundary_merges_first():
    labels = np.array([[0, 0, 1, 1, 2, 2]] * 3)
    edges = np.zeros(labels.shape)
    edges[:, 1:3] = 0.1   # weak boundary 0 | 1
    edges[:, 3:5] = 0.9   # strong boundary 1 | 2
    merged = merge_regions(labels, edges, max_regions=2)
    assert merged[0].tolist() == [0, 0, 0, 0, 1, 1]
    assert merge_regions(labels, edges, max_regions=1).max() == 0
    assert np.array_equal(merge_regions(labels, edges, max_regions=3), labels)


def test_merge_reaches_the_budget_by_joining_whole_regions():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 30, size=(20, 20))
    merged = merge_regions(labels, rng.random((20, 20)), max_regions=5)
    assert len(np.unique(merged)) <= 5
    assert merged.min() == 0 and merged.max() == len(np.unique(merged)) - 1
    # Merging only joins whole regions: every input region maps to one output region.
    for region in np.unique(labels):
        assert len(np.unique(merged[labels == region])) == 1


def _quadrants(size=64, seed=0):
    rng = np.random.default_rng(seed)
    image = np.zeros((size, size, 3), dtype=np.float64)
    colours = [(230, 20, 20), (20, 230, 20), (20, 20, 230), (230, 230, 20)]
    half = size // 2
    for index, (top, left) in enumerate([(0, 0), (0, half), (half, 0), (half, half)]):
        image[top:top + half, left:left + half] = colours[index]
    image += rng.normal(0, 12, image.shape)
    return image.clip(0, 255).astype(np.uint8)


def test_labeler_merges_to_the_region_budget_along_contours():
    labeler = PSEUDO_LABELERS.build(dict(type='FelzenszwalbRegions', scale=50, sigma=0.5,
                                         min_size_fraction=0.001, max_regions=4))
    assert labeler.requires_features is False
    images = torch.from_numpy(np.stack([_quadrants(seed=0), _quadrants(seed=1)]))
    maps = labeler(None, images)
    assert maps.shape == (2, 64, 64) and maps.dtype == torch.uint8
    for regions in maps.numpy():
        assert len(np.unique(regions)) <= 4
        # Each quadrant is (almost entirely) one region.
        for quadrant in (regions[:32, :32], regions[:32, 32:], regions[32:, :32], regions[32:, 32:]):
            assert np.bincount(quadrant.ravel()).max() >= 0.95 * quadrant.size
    assert labeler.cache_params()['max_regions'] == 4


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match='max_regions'):
        PSEUDO_LABELERS.build(dict(type='FelzenszwalbRegions', max_regions=300))
    labeler = PSEUDO_LABELERS.build(dict(type='FelzenszwalbRegions'))
    with pytest.raises(ValueError, match='RGB'):
        labeler.regions(np.zeros((8, 8), dtype=np.uint8))
