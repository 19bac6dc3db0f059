import logging

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from useg.evaluation import HungarianMetric, collapse_message
from useg.registry import METRICS


def make_sample(target, **predictions):
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.as_tensor(target)[None])
    for key, value in predictions.items():
        sample.set_field(PixelData(data=torch.as_tensor(value)[None]), key)
    return sample.to_dict()


def run(metric, samples, classes=('a', 'b', 'c')):
    metric.dataset_meta = dict(classes=list(classes))
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_metric_accumulates_one_confusion_over_the_split():
    # Split in two samples, each badly matched alone, perfectly matched together.
    samples = [make_sample([[0, 0, 1]], pred_sem_seg=[[2, 2, 0]]),
               make_sample([[2, 2, 1]], pred_sem_seg=[[1, 1, 0]])]
    metric = METRICS.build(dict(type='HungarianMetric', prefix='cluster'))
    results = run(metric, samples)
    assert results == {'cluster/Acc': pytest.approx(100.0), 'cluster/mIoU': pytest.approx(100.0),
                       'cluster/shares': [33.33, 33.33, 33.33]}
    assert metric.assignment.tolist() == [1, 2, 0]
    assert metric.confusion.shape == (3, 3)


def test_linear_mode_uses_identity_assignment():
    samples = [make_sample([[0, 1, 2, 2]], linear_pred_sem_seg=[[1, 0, 2, 2]])]
    metric = HungarianMetric(mode='linear', pred_key='linear_pred_sem_seg', prefix='linear')
    results = run(metric, samples)
    assert results['linear/Acc'] == pytest.approx(50.0)
    assert results['linear/mIoU'] == pytest.approx(100 / 3)
    assert metric.assignment.tolist() == [0, 1, 2]


def test_samples_without_pred_key_are_skipped_and_no_samples_give_empty_dict():
    samples = [make_sample([[0, 1]], pred_sem_seg=[[0, 1]])]
    metric = HungarianMetric(pred_key='crf_pred_sem_seg', prefix='crf_cluster')
    assert run(metric, samples) == {}


def test_over_clustering_and_explicit_sizes():
    samples = [make_sample([[0, 0, 1, 1, 255]], pred_sem_seg=[[0, 1, 2, 2, 3]])]
    metric = HungarianMetric(num_classes=2, num_clusters=4)
    results = run(metric, samples, classes=('x', 'y'))
    assert results['Acc'] == pytest.approx(75.0)
    assert results['mIoU'] == pytest.approx(75.0)


def test_prediction_beyond_num_clusters_is_an_error_naming_the_value():
    metric = HungarianMetric()
    metric.dataset_meta = dict(classes=['a', 'b'])
    with pytest.raises(ValueError, match='prediction id 7'):
        metric.process({}, [make_sample([[0, 1]], pred_sem_seg=[[0, 7]])])


def test_bad_configuration():
    with pytest.raises(ValueError, match='mode'):
        HungarianMetric(mode='kmeans')
    with pytest.raises(ValueError, match='num_clusters'):
        HungarianMetric(num_classes=3, num_clusters=5, mode='linear')
    with pytest.raises(ValueError, match='num_classes'):
        HungarianMetric().process({}, [make_sample([[0]], pred_sem_seg=[[0]])])


def test_a_collapsed_prediction_warns_naming_the_method_and_the_shares(monkeypatch):
    import useg.evaluation.hungarian_metric as module
    logged = []
    monkeypatch.setattr(module, 'print_log', lambda message, **kwargs: logged.append(
        (message, kwargs.get('level'))))
    # 19 of 20 pixels in cluster 0, cluster 2 never predicted
    sample = make_sample([[0] * 10 + [1] * 10], pred_sem_seg=[[0] * 19 + [1]])
    sample['predicted_by'] = 'SmooSegSegmentor'
    results = run(HungarianMetric(prefix='cluster'), [sample])
    assert results['cluster/shares'] == [95.0, 5.0, 0.0]
    warnings = [message for message, level in logged if level == logging.WARNING]
    assert warnings == ['SmooSegSegmentor: cluster predictions collapsed (1 empty (ids [2]), one '
                        'holds 95.0 %); shares 95.0/5.0/0.0 % of the pixels']


def test_a_balanced_prediction_does_not_warn():
    assert collapse_message(torch.tensor([50.0, 40.0, 10.0])) is None
    assert collapse_message(torch.tensor([91.0, 9.0]), 'M') == (
        'M: cluster predictions collapsed (one holds 91.0 %); shares 91.0/9.0 % of the pixels')


def reference_extra_cluster_scores(pred, target, num_classes, extra_clusters):
    """STEGO's UnsupervisedMetrics with extra clusters, restated: pixels predicted >= n dropped,
    histogram of the clusters matched to each class plus a row of the unmatched ones."""
    from scipy.optimize import linear_sum_assignment
    pred, target = pred.reshape(-1), target.reshape(-1)
    mask = (target >= 0) & (target < num_classes) & (pred >= 0) & (pred < num_classes)
    width = num_classes + extra_clusters
    stats = torch.bincount(width * target[mask] + pred[mask], minlength=num_classes * width)
    stats = stats.reshape(num_classes, width).t().double()
    assigned = linear_sum_assignment(stats, maximize=True)
    assigned_t = linear_sum_assignment(stats.t(), maximize=True)
    histogram = stats[assigned_t[1], :]
    missing = sorted(set(range(width)) - set(assigned[0].tolist()))
    histogram = torch.cat([histogram, stats[missing, :].sum(0, keepdim=True)], 0)
    histogram = torch.cat([histogram, torch.zeros(num_classes + 1, 1, dtype=histogram.dtype)], 1)
    tp = torch.diag(histogram)
    iou = tp / (histogram.sum(0) + histogram.sum(1) - tp)
    return float(tp.sum() / histogram.sum()) * 100, float(iou[~torch.isnan(iou)].mean()) * 100


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_drop_extra_cluster_pixels_matches_the_reference_metric(seed):
    generator = torch.Generator().manual_seed(seed)
    target = torch.randint(0, 4, (2, 12, 12), generator=generator)
    target[0, :2] = 255
    pred = torch.where(torch.rand(target.shape, generator=generator) < 0.6, (target + 1) % 4,
                       torch.randint(0, 6, target.shape, generator=generator))
    samples = [make_sample(t, pred_sem_seg=p) for t, p in zip(target, pred)]
    metric = HungarianMetric(num_clusters=6, drop_extra_cluster_pixels=True)
    results = run(metric, samples, classes=('a', 'b', 'c', 'd'))
    acc, miou = reference_extra_cluster_scores(pred, target, 4, 2)
    assert results['Acc'] == pytest.approx(acc) and results['mIoU'] == pytest.approx(miou)
    counted = run(HungarianMetric(num_clusters=6), samples, classes=('a', 'b', 'c', 'd'))
    assert counted['Acc'] < results['Acc']  # the extra-cluster pixels count as errors otherwise
