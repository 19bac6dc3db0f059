import math

import pytest
import torch

from useg.evaluation import hungarian_scores


def test_hand_computed_three_classes():
    pred = torch.tensor([0, 0, 1, 1, 2, 2])
    target = torch.tensor([1, 1, 0, 0, 0, 2])
    scores = hungarian_scores(pred, target, num_classes=3)
    assert scores['assignment'].tolist() == [1, 0, 2]
    assert scores['confusion'].tolist() == [[0, 2, 0], [2, 0, 0], [1, 0, 1]]
    assert scores['acc'] == pytest.approx(500 / 6)
    assert scores['iou'].tolist() == pytest.approx([200 / 3, 100.0, 50.0])
    assert scores['miou'] == pytest.approx((200 / 3 + 100 + 50) / 3)


def test_perfect_prediction_under_any_permutation_scores_100():
    target = torch.randint(0, 5, (4, 17, 13))
    permutation = torch.randperm(5)
    scores = hungarian_scores(permutation[target], target, num_classes=5)
    assert scores['acc'] == pytest.approx(100.0)
    assert scores['miou'] == pytest.approx(100.0)
    assert scores['assignment'][permutation].tolist() == list(range(5))


def test_permuting_cluster_ids_leaves_scores_unchanged():
    generator = torch.Generator().manual_seed(0)
    target = torch.randint(0, 4, (2000,), generator=generator)
    pred = torch.where(torch.rand(2000, generator=generator) < 0.6, target,
                       torch.randint(0, 6, (2000,), generator=generator))
    base = hungarian_scores(pred, target, num_classes=4, num_clusters=6)
    permuted = hungarian_scores(torch.randperm(6, generator=generator)[pred], target,
                                num_classes=4, num_clusters=6)
    assert permuted['acc'] == pytest.approx(base['acc'])
    assert permuted['miou'] == pytest.approx(base['miou'])


def test_ignored_targets_do_not_count():
    pred = torch.tensor([0, 1, 1, 0, 1])
    target = torch.tensor([0, 1, 255, -1, 7])
    scores = hungarian_scores(pred, target, num_classes=2)
    assert scores['confusion'].sum() == 2
    assert scores['acc'] == 100.0


def test_unmatched_clusters_count_as_errors():
    pred = torch.tensor([0, 1, 2, 2])
    target = torch.tensor([0, 0, 1, 1])
    scores = hungarian_scores(pred, target, num_classes=2, num_clusters=3)
    assert scores['assignment'][2] == 1
    assert sorted(scores['assignment'].tolist()) == [-1, 0, 1]
    assert scores['acc'] == pytest.approx(75.0)
    assert scores['iou'].tolist() == pytest.approx([50.0, 100.0])
    assert scores['miou'] == pytest.approx(75.0)


def test_class_absent_from_prediction_and_target_is_left_out_of_the_mean():
    scores = hungarian_scores(torch.tensor([0, 1]), torch.tensor([0, 1]), num_classes=3)
    assert math.isnan(scores['iou'][2])
    assert scores['miou'] == pytest.approx(100.0)


def test_class_absent_from_target_but_predicted_counts_as_zero():
    scores = hungarian_scores(torch.tensor([0, 1, 2]), torch.tensor([0, 1, 1]), num_classes=3)
    assert scores['iou'].tolist() == pytest.approx([100.0, 50.0, 0.0])
    assert scores['miou'] == pytest.approx(50.0)


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match='same shape'):
        hungarian_scores(torch.zeros(3, dtype=torch.long), torch.zeros(4, dtype=torch.long), 2)
    with pytest.raises(TypeError, match='integer'):
        hungarian_scores(torch.zeros(3), torch.zeros(3, dtype=torch.long), 2)
    with pytest.raises(ValueError, match='prediction id 5'):
        hungarian_scores(torch.tensor([5, 0]), torch.tensor([0, 1]), 2)
