"""The number every method must beat: k-means on a frozen backbone's own features, scored like
``tools/test.py`` (Hungarian matching over the whole split)."""
import math

import torch
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.utils import import_modules_from_strings
from torch.utils.data import DataLoader
from tqdm import tqdm

from useg.registry import DATASETS, MODELS
from .hungarian import confusion_matrix, match_clusters, scores_from_confusion
from .kmeans import kmeans


def cluster_scores(feats, centroids, spherical):
    """``feats (B, C, h, w)`` -> ``(B, K, h, w)`` scores whose per-pixel argmax is the nearest
    centroid; linear in ``feats``, so bilinearly upsampling the scores equals assigning
    bilinearly upsampled features (as the segmentors predict)."""
    scores = torch.einsum('bchw,kc->bkhw', feats.float(), centroids)
    if not spherical:  # argmin |f - c|^2 = argmax f.c - |c|^2 / 2
        scores = scores - 0.5 * (centroids ** 2).sum(1)[None, :, None, None]
    return scores


def kmeans_baseline(backbone, preprocessor, dataset, num_clusters, seeds=(0, 1, 2),
                    spherical=True, max_points=100_000, batch_size=8, device='cpu', restarts=10):
    """k-means (K = ``num_clusters``, one run per seed) on ``backbone``'s features of every
    image of ``dataset``, each pixel assigned the cluster of its bilinearly upsampled feature and
    scored with Hungarian matching over the split.

    Fits on at most ``max_points`` patch features (the same random patches of every image for
    every seed); each seed's k-means keeps the best of ``restarts`` k-means++ runs;
    ``spherical``: cosine k-means (as the cluster probe), else Euclidean.

    Returns:
        list (one per seed) of dicts ``seed``, ``acc``, ``miou`` (percent).
    """
    num_classes = len(dataset.metainfo['classes'])
    loader = DataLoader(dataset, batch_size=batch_size, num_workers=0, collate_fn=pseudo_collate)
    per_image = max(1, math.ceil(max_points / len(dataset)))
    sampler = torch.Generator().manual_seed(0)

    def batches(desc):
        for batch in tqdm(loader, desc=desc, unit='batch', leave=False):
            data = preprocessor(batch, False)
            with torch.no_grad():
                feats = backbone(data['inputs'].to(device))
            if isinstance(feats, (tuple, list)):  # mmseg backbones: the last level
                feats = feats[-1]
            feats = feats.float().cpu()
            yield data['inputs'].shape[-2:], feats, data['data_samples']

    points = []
    for _, feats, _ in batches('k-means features'):
        for tokens in feats.flatten(2).transpose(1, 2):  # (h * w, C) per image
            keep = torch.randperm(len(tokens), generator=sampler)[:per_image]
            points.append(tokens[keep])
    points = torch.cat(points)
    centroids = [kmeans(points, num_clusters, seed, restarts, spherical=spherical)
                 for seed in seeds]
    confusions = [torch.zeros(num_clusters, num_classes, dtype=torch.long) for _ in seeds]
    for input_size, feats, samples in batches('k-means assignment'):
        for centres, confusion in zip(centroids, confusions):
            scores = F.interpolate(cluster_scores(feats, centres, spherical), size=input_size,
                                   mode='bilinear', align_corners=False)
            for score, sample in zip(scores, samples):
                target = sample.gt_sem_seg.data[0]
                height, width = sample.metainfo.get('img_shape', target.shape)
                score = score[None, :, :height, :width]  # drop the preprocessor's padding
                if score.shape[-2:] != target.shape:  # labels kept at another size
                    score = F.interpolate(score, size=target.shape, mode='bilinear',
                                          align_corners=False)
                pred = score[0].argmax(0)
                confusion += confusion_matrix(pred, target, num_classes, num_clusters)
    results = []
    for seed, confusion in zip(seeds, confusions):
        acc, miou, _ = scores_from_confusion(confusion, match_clusters(confusion))
        results.append(dict(seed=seed, acc=acc, miou=miou))
    return results


def config_num_clusters(model_cfg):
    """K of a model config: the cluster probe's ``num_clusters``, else ``num_clusters``, else
    ``num_classes``."""
    probe = model_cfg.get('cluster_probe') or {}
    return probe.get('num_clusters') or model_cfg.get('num_clusters') or model_cfg['num_classes']


def config_kmeans_baseline(cfg, seeds=(0, 1, 2), spherical=True, max_points=100_000,
                           batch_size=None, device='cpu', restarts=10):
    """:func:`kmeans_baseline` of a config: its backbone (frozen, weights as configured), data
    preprocessor, val split (the test split when it has no val loader) and cluster count.
    Returns ``(num_clusters, results)``."""
    init_default_scope(cfg.get('default_scope', 'useg'))
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    backbone = MODELS.build(cfg.model.backbone).to(device)
    backbone.eval()  # not chained: some backbones' train() returns None
    preprocessor = MODELS.build(cfg.model.data_preprocessor).to(device)
    loader_cfg = cfg.get('val_dataloader') or cfg.test_dataloader
    dataset = DATASETS.build(loader_cfg.dataset)
    num_clusters = config_num_clusters(cfg.model)
    results = kmeans_baseline(backbone, preprocessor, dataset, num_clusters, seeds, spherical,
                              max_points, batch_size or loader_cfg.get('batch_size', 8),
                              device, restarts)
    return num_clusters, results
