"""SegSortLoss on hand-computed cases."""
import math

import pytest
import torch

from useg.registry import MODELS

KAPPA = 1.0
# One pixel e = (1, 0); prototypes at cosines 1, 0, -1 -> a = (e, 1, 1/e) with kappa = 1.
EMBEDDINGS = torch.tensor([[1.0, 0.0]])
PROTOTYPES = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
IDS = torch.tensor([10, 11, 12])


def build(concentration=KAPPA):
    return MODELS.build(dict(type='SegSortLoss', concentration=concentration))


def test_without_groups_every_segment_is_its_own_group():
    loss = build().loss(EMBEDDINGS, torch.tensor([10]), PROTOTYPES, IDS)
    expected = -math.log(math.e / (math.e + 1 + 1 / math.e))
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_positives_are_the_other_segments_of_the_group():
    # Group of the pixel: {10, 11}; its own segment 10 leaves both terms: N = a_11 = 1.
    loss = build().loss(EMBEDDINGS, torch.tensor([10]), PROTOTYPES, IDS,
                        torch.tensor([0]), torch.tensor([0, 0, 1]))
    assert loss.item() == pytest.approx(math.log(1 + 1 / math.e), rel=1e-6)


def test_alone_in_its_group_the_own_segment_is_the_positive():
    loss = build().loss(EMBEDDINGS, torch.tensor([10]), PROTOTYPES, IDS,
                        torch.tensor([0]), torch.tensor([0, 1, 1]))
    expected = -math.log(math.e / (math.e + 1 + 1 / math.e))
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_mean_over_pixels_and_prototype_order_does_not_matter():
    embeddings = torch.nn.functional.normalize(torch.randn(7, 4, generator=torch.Generator()
                                                            .manual_seed(0)), dim=1)
    prototypes = torch.nn.functional.normalize(torch.randn(3, 4), dim=1)
    segment_ids = torch.tensor([0, 1, 2, 0, 1, 2, 2])
    groups = torch.tensor([0, 0, 1])
    loss = build(16).loss(embeddings, segment_ids, prototypes, torch.arange(3),
                          groups[segment_ids], groups)
    order = torch.tensor([2, 0, 1])
    shuffled = build(16).loss(embeddings, segment_ids, prototypes[order], order,
                              groups[segment_ids], groups[order])
    per_pixel = build(16).pixel_nll(embeddings, segment_ids, prototypes, torch.arange(3),
                                    groups[segment_ids], groups)
    assert per_pixel.shape == (7,)
    assert torch.allclose(loss, per_pixel.mean())
    assert torch.allclose(loss, shuffled)


def test_bad_inputs_are_named():
    loss = build()
    with pytest.raises(ValueError, match='without a prototype'):
        loss.loss(EMBEDDINGS, torch.tensor([99]), PROTOTYPES, IDS)
    with pytest.raises(ValueError, match='unique'):
        loss.loss(EMBEDDINGS, torch.tensor([10]), PROTOTYPES, torch.tensor([10, 10, 12]))
    with pytest.raises(ValueError, match='together'):
        loss.loss(EMBEDDINGS, torch.tensor([10]), PROTOTYPES, IDS, group_ids=torch.tensor([0]))
    with pytest.raises(ValueError, match='share D'):
        loss.loss(EMBEDDINGS, torch.tensor([10]), PROTOTYPES[:, :1], IDS)
    with pytest.raises(ValueError, match='concentration'):
        build(0)
