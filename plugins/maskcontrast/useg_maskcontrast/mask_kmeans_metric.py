"""MaskContrast's fully unsupervised evaluation: K-means on per-image mask embeddings."""
import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from useg.evaluation.hungarian import confusion_matrix
from useg.registry import METRICS

from .iou_matching import class_iou, match_by_iou
from .kmeans import kmeans
from .pca_whitening import pca_whiten


@METRICS.register_module()
class MaskKMeansMetric(BaseMetric):
    """K-means of the predicted objects' embeddings, matched to classes on IoU (mIoU, percent).

    Reads, per sample, ``mask_embedding (D,)``, ``saliency_sem_seg`` (0/1) and ``gt_sem_seg``
    (from ``MaskContrastSegmentor.predict``). Over the whole split: ``PCA(pca_components,
    whiten=True)`` of the embeddings, k-means into ``num_clusters - 1`` groups, salient pixels get
    cluster + 1 and the rest 0 (background), IoU-Hungarian matching against the ground truth (255
    ignored), mIoU over all classes (absent ones count 0). Repeated for every seed and averaged.

    Args:
        num_classes: classes including background (21 on VOC).
        num_clusters: clusters including background (21 = Hungarian; otherwise argmax IoU).
        pca_components: whitened dimensions (capped at the number of images and embedding size).
        seeds: k-means seeds (the reference's 1234..1238).
    """

    default_prefix = 'kmeans'

    def __init__(self, num_classes=21, num_clusters=21, pca_components=32,
                 seeds=(1234, 1235, 1236, 1237, 1238), collect_device='cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.num_classes = num_classes
        self.num_clusters = num_clusters
        self.pca_components = pca_components
        self.seeds = tuple(seeds)

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            self.results.append(dict(
                embedding=torch.as_tensor(sample['mask_embedding']).float().cpu(),
                salient=sample['saliency_sem_seg']['data'][0].cpu().numpy().astype(np.uint8),
                gt=sample['gt_sem_seg']['data'][0].cpu().numpy().astype(np.uint8)))

    def compute_metrics(self, results):
        embeddings = torch.stack([result['embedding'] for result in results])
        components = min(self.pca_components, *embeddings.shape)
        if components < self.pca_components:
            print_log(f'MaskKMeansMetric: PCA to {components} dimensions ({len(results)} images)',
                      logger='current')
        whitened = pca_whiten(embeddings, components)
        scores, per_seed = [], {}
        for seed in self.seeds:
            miou = self.seed_miou(whitened, results, seed)
            scores.append(miou)
            per_seed[f'mIoU_seed{seed}'] = miou
        return dict(mIoU=float(np.mean(scores)), mIoU_std=float(np.std(scores)), **per_seed)

    def seed_miou(self, whitened, results, seed):
        """mIoU (percent) of one k-means run."""
        clusters = kmeans(whitened, self.num_clusters - 1, seed)[0]
        confusion = torch.zeros(self.num_clusters, self.num_classes, dtype=torch.long)
        for cluster, result in zip(clusters.tolist(), results):
            pred = torch.from_numpy(result['salient']).long() * (cluster + 1)
            confusion += confusion_matrix(pred, torch.from_numpy(result['gt']), self.num_classes,
                                          self.num_clusters)
        return float(class_iou(confusion, match_by_iou(confusion)).mean() * 100)
