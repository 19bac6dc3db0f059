"""ModularityLoss: a perfect partition by hand, gradients, chunked = materialised."""
import math

import torch

from useg.registry import MODELS
from useg_cause import ModularityLoss


def test_perfect_partition_of_two_pairs():
    # tokens e1, e1, e2, e2; centroids e1, e2: A has one edge per pair, 2m = 4, the partition's
    # Newman modularity is 2 * (1/2 - (2/4)^2) = 1/2, and delta = tanh(1 / 0.1) inside a pair.
    e1, e2 = torch.eye(2)
    tokens = torch.stack([e1, e1, e2, e2])[None]
    loss = MODELS.build(dict(type='ModularityLoss', temperature=0.1))(tokens, torch.stack([e1, e2]))
    assert math.isclose(loss.item(), -0.5 * math.tanh(10.0), rel_tol=1e-6)


def test_a_worse_partition_scores_lower():
    e1, e2 = torch.eye(2)
    tokens = torch.stack([e1, e1, e2, e2])[None]
    loss = ModularityLoss(0.1)
    mixed = torch.tensor([[1., 1.], [1., -1.]])  # every token shares a centroid with all others
    assert loss(tokens, mixed).item() > loss(tokens, torch.stack([e1, e2])).item()


def test_gradient_reaches_centroids_only_and_chunking_is_exact():
    torch.manual_seed(0)
    tokens = torch.randn(3, 16, 8, requires_grad=True)
    centroids = torch.randn(10, 8, requires_grad=True)
    full = ModularityLoss(0.1)(tokens, centroids)
    full.backward()
    assert tokens.grad is None
    assert centroids.grad is not None and centroids.grad.abs().sum() > 0
    grad = centroids.grad.clone()
    centroids.grad = None
    chunked = ModularityLoss(0.1, prototype_chunk=3)(tokens, centroids)
    chunked.backward()
    torch.testing.assert_close(chunked, full, rtol=0, atol=1e-7)
    torch.testing.assert_close(centroids.grad, grad, rtol=0, atol=1e-7)


def test_default_is_chunked_with_the_unchunked_loss_and_gradient(monkeypatch):
    import useg_cause.modularity_loss as module
    torch.manual_seed(1)
    tokens = torch.randn(2, 12, 8)
    centroids = torch.randn(300, 8, requires_grad=True)  # 3 chunks of at most 128
    default = ModularityLoss(0.1)
    assert default.prototype_chunk == 128
    splits = []
    original_split = torch.Tensor.split
    monkeypatch.setattr(torch.Tensor, 'split',
                        lambda self, *args, **kwargs: splits.append(args) or original_split(
                            self, *args, **kwargs))
    loss = default(tokens, centroids)
    monkeypatch.undo()
    assert splits == [(128,)]
    (grad,) = torch.autograd.grad(loss, centroids)
    reference = ModularityLoss(0.1, prototype_chunk=None)(tokens, centroids)
    (reference_grad,) = torch.autograd.grad(reference, centroids)
    assert torch.equal(loss, reference)

