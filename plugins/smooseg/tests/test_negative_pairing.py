import pytest
import torch

from useg_smooseg.negative_pairing import other_image_indices


def test_no_image_is_its_own_partner_and_indices_are_in_range():
    torch.manual_seed(0)
    for batch_size in (2, 3, 5, 32):
        for _ in range(20):
            indices = other_image_indices(batch_size)
            assert indices.shape == (batch_size,) and indices.dtype == torch.long
            assert bool((indices != torch.arange(batch_size)).all())
            assert bool(((indices >= 0) & (indices < batch_size)).all())


def test_follows_the_bump_fixed_points_rule_of_the_global_rng():
    torch.manual_seed(3)
    permutation = torch.randperm(7)
    expected = torch.where(permutation == torch.arange(7), permutation + 1, permutation) % 7
    torch.manual_seed(3)
    assert torch.equal(other_image_indices(7), expected)


def test_a_single_image_is_paired_with_itself():
    assert other_image_indices(1).tolist() == [0]


def test_rejects_an_empty_batch():
    with pytest.raises(ValueError, match='at least 1'):
        other_image_indices(0)
