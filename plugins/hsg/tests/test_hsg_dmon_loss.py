"""DMoN modularity / collapse and the per-view kNN graph on constructed graphs."""
import math

import pytest
import torch

from useg.registry import MODELS
from useg_hsg import dmon_terms, knn_adjacency

# Two disconnected edges 0-1 and 2-3: degrees 1, D = 4, 2D = 8.
TWO_EDGES = torch.tensor([[[0., 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]])
ALL_VALID = torch.ones(1, 4, dtype=torch.bool)


def test_perfect_split_of_two_components():
    split = torch.tensor([[[1., 0], [1, 0], [0, 1], [0, 1]]])
    dmon, collapse = dmon_terms(TWO_EDGES, split, ALL_VALID)
    # Tr(S^T A S) = 4, ||S^T d||^2 = 8: modularity (4 - 8 / 8) / 8 = 3 / 8.
    assert dmon.item() == pytest.approx(1 - 3 / 8)
    # sqrt(K) * ||(2, 2)|| / n = sqrt(2) * 2 sqrt(2) / 4.
    assert collapse.item() == pytest.approx(1.0)
    _, collapse_256 = dmon_terms(TWO_EDGES, split, ALL_VALID, collapse_num_nodes=256)
    assert collapse_256.item() == pytest.approx(4 / 256)


def test_one_cluster_scores_worse_than_the_split():
    merged = torch.tensor([[[1., 0], [1, 0], [1, 0], [1, 0]]])
    dmon, collapse = dmon_terms(TWO_EDGES, merged, ALL_VALID)
    assert dmon.item() == pytest.approx(1 - (4 - 16 / 8) / 8)
    assert collapse.item() == pytest.approx(math.sqrt(2) * 4 / 4)


def test_padded_nodes_are_zeroed():
    adjacency = torch.zeros(1, 5, 5)
    adjacency[0, :4, :4] = TWO_EDGES[0]
    split = torch.tensor([[[1., 0], [1, 0], [0, 1], [0, 1], [0.5, 0.5]]])
    valid = torch.tensor([[True, True, True, True, False]])
    dmon, collapse = dmon_terms(adjacency, split, valid, collapse_num_nodes=4)
    assert dmon.item() == pytest.approx(1 - 3 / 8)
    assert collapse.item() == pytest.approx(1.0)


def test_knn_graph_keeps_k_neighbours_in_each_view():
    tokens = torch.tensor([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0], [0.0, 0.0]]).t()[None]
    padding = torch.tensor([[False, False, False, False, True]])
    views = torch.tensor([[0, 0, 1, 1, -1]])
    adjacency = knn_adjacency(tokens, padding, views, knn=1)
    expected = torch.tensor([[0., 1, 1, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, 1, 0],
                             [0, 1, 1, 0, 0], [0, 0, 0, 0, 0]])
    assert torch.equal(adjacency[0], expected)
    # Without views (Cityscapes variant) each row keeps its single nearest token overall.
    single = knn_adjacency(tokens, padding, None, knn=1)
    assert single[0].sum(1).tolist() == [1, 1, 1, 1, 0]
    assert single[0, 0].argmax().item() == 1


def _reference_knn(tokens, padding, views, knn):
    """The reference's per-image, per-view loop (for the vectorised version to match)."""
    kernel = torch.bmm(tokens.transpose(1, 2), tokens).mul(5).exp()
    kernel = kernel.masked_fill(padding.unsqueeze(-1) | padding.unsqueeze(-2), 0)
    num = tokens.shape[-1]
    remove = ((~padding).sum(-1) > 1).view(-1, 1, 1)
    kernel = kernel.masked_fill(torch.eye(num, dtype=torch.bool)[None] & remove, 0)
    rows = []
    for image in range(kernel.shape[0]):
        current = kernel[image]
        for view in torch.unique(views[image]):
            mask = ~padding[image] & (views[image] == view)
            if not mask.any():
                continue
            k = min(int(mask.sum()), knn)
            mask = mask.view(1, -1).expand(num, -1)
            kth = torch.topk(current.masked_select(mask).view(num, -1), k, dim=1)[0][:, -1]
            current = current.masked_fill(mask & (current < kth.view(-1, 1)), 0)
        rows.append(current)
    return (torch.stack(rows) > 0).float()


@pytest.mark.parametrize('knn', [1, 2, 4])
def test_vectorised_knn_matches_the_reference_loop(knn):
    generator = torch.Generator().manual_seed(knn)
    tokens = torch.nn.functional.normalize(torch.randn(3, 8, 12, generator=generator), dim=1)
    padding = torch.zeros(3, 12, dtype=torch.bool)
    padding[0, 9:] = True
    padding[1, 3:] = True
    views = torch.randint(0, 2, (3, 12), generator=generator).masked_fill(padding, -1)
    expected = _reference_knn(tokens, padding, views, knn)
    assert torch.equal(knn_adjacency(tokens, padding, views, knn), expected)


def test_loss_module_and_bad_inputs():
    loss = MODELS.build(dict(type='DMoNLoss', knn=2, collapse_num_nodes=None))
    tokens = torch.nn.functional.normalize(torch.randn(2, 8, 6), dim=1)
    probabilities = torch.softmax(torch.randn(2, 3, 6, requires_grad=True), dim=1)
    padding = torch.zeros(2, 6, dtype=torch.bool)
    dmon, collapse = loss(probabilities, tokens, padding, torch.zeros(2, 6, dtype=torch.long))
    (dmon + collapse).backward()
    assert torch.isfinite(dmon) and torch.isfinite(collapse)
    with pytest.raises(ValueError, match='knn'):
        MODELS.build(dict(type='DMoNLoss', knn=0))
    with pytest.raises(ValueError, match='must be'):
        loss(probabilities[:, :, :5], tokens, padding)
