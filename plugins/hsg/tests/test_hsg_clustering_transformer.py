"""Padded tokens must not change the clustering transformer's outputs on valid tokens."""
import torch

from useg.registry import MODELS
from useg_hsg import MaskedBatchNorm1d


def test_masked_batch_norm_uses_valid_tokens_only():
    norm = MaskedBatchNorm1d(3)
    x = torch.randn(5, 2, 3)
    valid = torch.ones(5, 2, dtype=torch.bool)
    valid[3:, 1] = False
    out = norm(x, valid)
    reference = torch.nn.functional.batch_norm(x[valid], None, None, training=True)
    assert torch.allclose(out[valid], reference, atol=1e-6)
    assert torch.all(out[~valid] == 0)
    assert torch.allclose(norm.norm.running_mean, 0.1 * x[valid].mean(0), atol=1e-6)


def _run(transformer, tokens, positions, num_valid, pad_to):
    batch, dim, _ = tokens.shape
    padded = torch.randn(batch, dim, pad_to) * 3  # garbage in padded slots
    padded[:, :, :num_valid] = tokens
    padded_positions = torch.randn(batch, dim, pad_to)
    padded_positions[:, :, :num_valid] = positions
    padding = torch.ones(batch, pad_to, dtype=torch.bool)
    padding[:, :num_valid] = False
    torch.manual_seed(0)
    return transformer(padded, padding, padded_positions)


def test_outputs_do_not_depend_on_the_pad_count():
    torch.manual_seed(0)
    transformer = MODELS.build(dict(type='ClusteringTransformer', num_clusters=4, dim=16,
                                    heads=4, feedforward_dim=32, dropout=0.0))
    transformer.train()
    tokens = torch.nn.functional.normalize(torch.randn(3, 16, 5), dim=1)
    positions = torch.rand(3, 16, 5)
    short = _run(transformer, tokens, positions, 5, 7)
    long = _run(transformer, tokens, positions, 5, 40)
    # float32 sums over 7 vs 40 slots differ in their last bits (measured up to 1.8e-5)
    assert torch.allclose(short['centroids'], long['centroids'], atol=5e-5)
    assert torch.allclose(short['logits'][..., :5], long['logits'][..., :5], atol=5e-5)
    assert torch.allclose(short['memory'][..., :5], long['memory'][..., :5], atol=5e-5)
    assert short['centroid_features'].shape == (3, 16, 4)


def test_queries_are_ordered_by_their_largest_logit():
    torch.manual_seed(1)
    transformer = MODELS.build(dict(type='ClusteringTransformer', num_clusters=4, dim=16,
                                    heads=4, feedforward_dim=32))
    out = transformer(torch.randn(2, 16, 6), None, None)
    largest = out['logits'].max(-1).values
    assert torch.all(largest[:, :-1] >= largest[:, 1:])
