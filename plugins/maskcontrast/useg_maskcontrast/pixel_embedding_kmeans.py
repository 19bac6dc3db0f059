"""MaskContrast on scenes of several objects: k-means over the pixel embeddings of the split.

The paper's K-means protocol (:class:`MaskKMeansMetric`) clusters one embedding per image's
salient mask, which presumes one object per image. Here every pixel's embedding is clustered
(K = the dataset's classes), each pixel takes the cluster of its bilinearly upsampled embedding,
and the clusters are Hungarian-matched over the split as the core scores cluster predictions.
"""
from torch import nn

from useg.apis import init_segmentor
from useg.evaluation import kmeans_baseline
from useg.registry import DATASETS


class PixelEmbedding(nn.Module):
    """A :class:`MaskContrastSegmentor`'s pixel embedding as a backbone: ``inputs (B, 3, H, W)``
    -> ``(B, D, h, w)``, the head's embedding at the decoder's stride."""

    def __init__(self, segmentor):
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs):
        return self.segmentor.head(self.segmentor.extract_feat(inputs))[1]


def pixel_embedding_kmeans(cfg, checkpoint, seeds=(0, 1), restarts=10, max_points=100_000,
                           device='cpu'):
    """Cosine k-means (one run per seed, best of ``restarts``) on the pixel embeddings of the
    checkpoint's MaskContrast model over ``cfg``'s val split (the test split without a val
    loader), K = the split's classes. Returns ``useg.evaluation.kmeans_baseline``'s list of dicts
    ``seed``, ``acc``, ``miou`` (percent)."""
    segmentor = init_segmentor(cfg, checkpoint, device)
    loader_cfg = cfg.get('val_dataloader') or cfg.test_dataloader
    dataset = DATASETS.build(loader_cfg.dataset)
    return kmeans_baseline(PixelEmbedding(segmentor).eval(), segmentor.data_preprocessor,
                           dataset, len(dataset.metainfo['classes']), seeds, spherical=True,
                           max_points=max_points, batch_size=loader_cfg.get('batch_size', 8),
                           device=device, restarts=restarts)
