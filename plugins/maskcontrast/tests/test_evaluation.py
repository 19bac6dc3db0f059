"""K-means evaluation (PCA whitening, seeded k-means, IoU-Hungarian) and segment retrieval."""
import numpy as np
import pytest
import torch

from useg.registry import METRICS
from useg_maskcontrast import saliency_weighted_embedding
from useg_maskcontrast.iou_matching import class_iou, iou_matrix, match_by_iou
from useg_maskcontrast.kmeans import kmeans
from useg_maskcontrast.pca_whitening import pca_whiten


def test_saliency_weighted_embedding_weights_by_the_logit_above_threshold():
    embedding = torch.tensor([[[[1.0, 0.0, 5.0]], [[0.0, 1.0, 5.0]]]])  # (1, 2, 1, 3)
    logits = torch.tensor([[[3.0, 1.0, 0.4]]])  # last pixel is under 0.5: ignored
    vector = saliency_weighted_embedding(embedding, logits)
    assert torch.allclose(vector, torch.tensor([[3.0, 1.0]]) / 10 ** 0.5)


def test_pca_whiten_gives_unit_variance_uncorrelated_components():
    data = torch.randn(200, 6, generator=torch.Generator().manual_seed(0)) * torch.arange(1., 7.)
    whitened = pca_whiten(data, 3)
    assert whitened.shape == (200, 3)
    covariance = torch.cov(whitened.t())
    assert torch.allclose(covariance, torch.eye(3, dtype=covariance.dtype), atol=1e-6)
    assert torch.equal(whitened, pca_whiten(data, 3))
    with pytest.raises(ValueError, match='exceeds'):
        pca_whiten(data[:2], 3)


def test_kmeans_is_deterministic_given_a_seed_and_finds_clear_clusters():
    generator = torch.Generator().manual_seed(1)
    centres = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    points = centres.repeat_interleave(20, 0) + 0.1 * torch.randn(60, 2, generator=generator)
    labels, _ = kmeans(points, 3, seed=7)
    assert torch.equal(labels, kmeans(points, 3, seed=7)[0])
    groups = labels.reshape(3, 20)
    assert all(len(set(group.tolist())) == 1 for group in groups)
    assert len(set(groups[:, 0].tolist())) == 3


def test_iou_matching_and_class_iou_by_hand():
    confusion = torch.tensor([[8, 2], [1, 9]])  # rows clusters, cols classes
    iou = iou_matrix(confusion)
    assert iou[0, 0].item() == pytest.approx(8 / (10 + 9 - 8))
    assert match_by_iou(confusion).tolist() == [0, 1]
    assert match_by_iou(torch.tensor([[1, 9], [8, 2]])).tolist() == [1, 0]
    assert match_by_iou(torch.tensor([[8, 2], [7, 1], [0, 5]])).tolist() == [0, 0, 1]  # argmax IoU
    scores = class_iou(confusion, torch.tensor([0, 1]))
    assert scores.tolist() == pytest.approx([8 / 11, 9 / 12])
    assert class_iou(torch.zeros(3, 3), torch.arange(3)).tolist() == [0, 0, 0]  # absent = 0


def kmeans_samples(num_images=12, size=6, seed=0):
    """Images with a square object of class 1 or 2 whose embedding says which class it is."""
    rng = np.random.default_rng(seed)
    samples = []
    for index in range(num_images):
        cls = 1 + index % 2
        gt = np.zeros((size, size), np.uint8)
        gt[1:4, 1:4] = cls
        gt[5, 5] = 255
        embedding = torch.tensor([5.0 if cls == 1 else -5.0, rng.normal()]) * 0.1
        samples.append(dict(mask_embedding=embedding,
                            saliency_sem_seg=dict(data=torch.from_numpy(gt[None] % 255 > 0).long()),
                            gt_sem_seg=dict(data=torch.from_numpy(gt[None]).long())))
    return samples


def run_metric(cfg, samples):
    metric = METRICS.build(cfg)
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def test_mask_kmeans_metric_recovers_separable_objects():
    cfg = dict(type='MaskKMeansMetric', num_classes=3, num_clusters=3, pca_components=1,
               seeds=(1, 2))
    scores = run_metric(cfg, kmeans_samples())
    assert scores['mIoU'] == pytest.approx(100.0)
    assert set(scores) == {'mIoU', 'mIoU_std', 'mIoU_seed1', 'mIoU_seed2'}


def test_mask_kmeans_metric_is_deterministic_given_seeds():
    samples = kmeans_samples(num_images=16, seed=3)
    for sample in samples:
        sample['mask_embedding'] = torch.randn(4)
    cfg = dict(type='MaskKMeansMetric', num_classes=3, num_clusters=3, seeds=(1234, ))
    first, second = run_metric(cfg, samples), run_metric(cfg, samples)
    assert first == second
    assert 0 <= first['mIoU'] <= 100


def test_memory_bank_and_retrieval(tmp_path):
    bank_file = str(tmp_path / 'bank.pth')
    train = kmeans_samples(num_images=4)
    empty = kmeans_samples(num_images=1)[0]
    empty['saliency_sem_seg']['data'].zero_()  # nothing salient: skipped
    scores = run_metric(dict(type='SegmentMemoryBankMetric', out_file=bank_file, num_classes=3),
                        train + [empty])
    bank = torch.load(bank_file, weights_only=True)
    assert scores == dict(size=4) and bank['labels'].tolist() == [1, 2, 1, 2]
    val = kmeans_samples(num_images=2)
    val[1]['mask_embedding'] = val[0]['mask_embedding']  # retrieves class 1 for a class-2 object
    scores = run_metric(dict(type='SegmentRetrievalMetric', memory_bank=bank_file, num_classes=3),
                        val)
    # background: 2 x 26 pixels right; class 1: 9 TP, 9 FP; class 2: 9 FN
    expected = np.mean([52 / 52, 9 / 18, 0.0]) * 100
    assert scores['mIoU'] == pytest.approx(expected)
    kept = run_metric(dict(type='SegmentRetrievalMetric', memory_bank=bank_file, num_classes=3,
                           kept_classes=(1, )), val)
    assert kept['mIoU'] == pytest.approx(100.0)  # class 2 becomes ignore; only class 1 averaged
