"""Segments (cluster x region per view), token padding and segment retrieval."""
import pytest
import torch

from useg.registry import MODELS
from useg_hsg import extract_segments, pad_tokens
from useg_hsg.segment_retrieval import majority_labels, retrieve_labels, segment_embedding_map


def test_segments_are_cluster_times_region_per_view():
    embeddings = torch.zeros(2, 2, 2, 2)
    embeddings[:, 0] = 1.0
    embeddings[1, :, 1, 1] = torch.tensor([0.0, 1.0])
    clusters = torch.tensor([[[0, 0], [1, 1]], [[0, 0], [0, 0]]])
    regions = torch.tensor([[[3, 4], [4, 255]], [[3, 3], [4, 4]]])
    segments = extract_segments(embeddings, clusters, regions, views_per_image=2)
    # View 0: (c0, r3), (c0, r4), (c1, r4); view 1: (c0, r3), (c0, r4). The 255 pixel is dropped.
    assert segments.num_segments == 5
    assert segments.segment_view.tolist() == [0, 0, 0, 1, 1]
    assert segments.segment_region.tolist() == [3, 4, 4, 3, 4]
    assert segments.segment_image.tolist() == [0, 0, 0, 0, 0]
    assert segments.pixel_segment.tolist() == [0, 1, 2, 3, 3, 4, 4]
    # The last segment mixes (1, 0) and (0, 1): its prototype is their normalised mean.
    assert torch.allclose(segments.prototypes[4], torch.tensor([0.5 ** 0.5, 0.5 ** 0.5]))
    assert torch.allclose(segments.prototypes.norm(dim=1), torch.ones(5))


def test_segment_positions_are_mean_codes_and_gradients_reach_the_embeddings():
    embeddings = torch.randn(2, 3, 2, 2, requires_grad=True)
    clusters = torch.zeros(2, 2, 2, dtype=torch.long)
    regions = torch.tensor([[[0, 0], [1, 1]], [[0, 1], [0, 1]]])
    positions = torch.arange(8.).view(2, 2, 2)
    segments = extract_segments(embeddings, clusters, regions, 2, positions)
    # View 0 region 0 covers (0,0),(0,1): channel 0 codes 0 and 1 -> 0.5.
    assert segments.segment_position[0].tolist() == [0.5, 4.5]
    segments.prototypes.sum().backward()
    assert embeddings.grad is not None and embeddings.grad.abs().sum() > 0


def test_pad_tokens_and_capacity():
    values = torch.arange(10.).view(5, 2)
    image = torch.tensor([0, 0, 0, 1, 1])
    tokens, padding, slot = pad_tokens(values, image, 2, capacity=4)
    assert tokens.shape == (2, 2, 4)
    assert padding.tolist() == [[False, False, False, True], [False, False, True, True]]
    assert slot.tolist() == [0, 1, 2, 0, 1]
    assert tokens[1, :, 1].tolist() == [8.0, 9.0]
    with pytest.raises(ValueError, match='token slots'):
        pad_tokens(values, image, 2, capacity=2)


def test_bad_view_count_is_named():
    with pytest.raises(ValueError, match='multiple of 2'):
        extract_segments(torch.zeros(3, 2, 2, 2), torch.zeros(3, 2, 2, dtype=torch.long),
                         torch.zeros(3, 2, 2, dtype=torch.long))


def test_majority_vote_and_retrieval():
    segment_map = torch.tensor([[0, 0, 1], [1, 1, -1]])
    labels = torch.tensor([[2, 255, 255], [255, 1, 0]])
    # Segment 0: {2, ignore} -> tie -> smaller id 2 (ignore counts as class 3 here);
    # segment 1: {ignore, ignore, 1} -> ignore.
    assert majority_labels(segment_map, labels, 3, num_classes=3).tolist() == [2, 255, 255]
    bank = torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    bank_labels = torch.tensor([1, 2, 0])
    queries = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    assert retrieve_labels(queries, bank, bank_labels, 3, top_k=1).tolist() == [1, 0]
    # Top-2 of the first query: labels {1, 2} tie -> smaller id.
    assert retrieve_labels(queries, bank, bank_labels, 3, top_k=2).tolist() == [1, 0]
    with pytest.raises(ValueError, match='empty'):
        retrieve_labels(queries, bank[:0], bank_labels[:0], 3)


def test_full_resolution_segments_skip_padding():
    kmeans = MODELS.build(dict(type='SphericalKMeans', iterations=3, grid=(2, 2)))
    embedding = torch.randn(4, 6, 6)
    valid = torch.zeros(6, 6, dtype=torch.bool)
    valid[:4, :5] = True
    segment_map, prototypes = segment_embedding_map(kmeans, embedding, valid)
    assert torch.all(segment_map[~valid] == -1)
    assert segment_map[valid].min() == 0
    assert prototypes.shape[0] == int(segment_map.max()) + 1
