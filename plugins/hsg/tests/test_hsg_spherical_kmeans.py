"""Spherical k-means and its grid initialisation on hand-computed cases."""
import pytest
import torch

from useg.registry import MODELS
from useg_hsg import grid_labels, location_features


def build(iterations=15, grid=(4, 4)):
    return MODELS.build(dict(type='SphericalKMeans', iterations=iterations, grid=grid))


def test_one_iteration_moves_a_point_to_the_nearer_mean():
    points = torch.tensor([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [-0.28, 0.96]])
    # M: mu0 = (1, 0), mu1 = normalise(0.68, 2.24); E: point 1 is nearer mu0 (0.96 > 0.55).
    labels = build(iterations=1).kmeans(points, torch.tensor([0, 1, 1, 1]))
    assert labels.tolist() == [0, 0, 1, 1]
    assert build(iterations=15).kmeans(points, torch.tensor([0, 1, 1, 1])).tolist() == [0, 0, 1, 1]


def test_ties_go_to_the_lowest_cluster_and_zero_iterations_keep_the_init():
    points = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    assert build(iterations=1).kmeans(points, torch.tensor([0, 1])).tolist() == [0, 0]
    assert build(iterations=0).kmeans(points, torch.tensor([1, 0])).tolist() == [1, 0]


def test_empty_cluster_has_a_zero_mean():
    # Cluster 1 starts empty, so its mean is 0. mu0 = normalise(1.4, -0.8), mu2 = (0, 1):
    # the last point scores -0.124 and -0.8 against them and 0 against the empty cluster.
    points = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [-0.6, -0.8]])
    labels = build(iterations=1).kmeans(points, torch.tensor([0, 0, 2, 0]))
    assert labels.tolist() == [0, 0, 2, 1]


def test_grid_labels_run_down_columns():
    labels = grid_labels((2, 2), 3, 4).view(3, 4)
    assert labels.tolist() == [[0, 0, 2, 2], [0, 0, 2, 2], [1, 1, 3, 3]]
    # A map smaller than the grid: cells are relabelled to consecutive ids.
    assert sorted(set(grid_labels((4, 4), 2, 2).tolist())) == [0, 1, 2, 3]


def test_location_features_span_minus_half_to_half():
    locations = location_features(3, 5).view(3, 5, 2)
    assert locations[0, 0].tolist() == [-0.5, -0.5]
    assert locations[2, 4].tolist() == [0.5, 0.5]
    assert locations[1, 2].tolist() == [0.0, 0.0]


def test_batched_equals_one_image_at_a_time():
    generator = torch.Generator().manual_seed(0)
    kmeans = build(iterations=15, grid=(2, 3))
    embeddings = torch.randn(3, 8, 5, 6, generator=generator)
    valid = torch.rand(3, 5, 6, generator=generator) > 0.2
    batched = kmeans.segment_views(embeddings, valid)
    for image in range(3):
        pixels = torch.nn.functional.normalize(embeddings[image].flatten(1).t(), dim=1)
        features = torch.nn.functional.normalize(
            torch.cat([pixels, location_features(5, 6)], dim=1), dim=1)
        keep = valid[image].view(-1)
        alone = kmeans.kmeans(features[keep], grid_labels((2, 3), 5, 6)[keep])
        assert torch.equal(batched[image].view(-1)[keep], alone)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match='initial_labels'):
        build().kmeans(torch.zeros(3, 2), torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match='grid'):
        build(grid=(0, 4))
