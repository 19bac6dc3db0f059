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

from useg.models import UnsupervisedSegmentor, unnormalised_images
from useg.models.utils import backbone_autocast
from useg.postprocess import refine_with_crf
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


def at_label_size(maps, sample, size):
    """``maps (K, H, W)`` of the padded input -> unpadded (``img_shape``), bilinearly resized to
    the label ``size`` when the label is kept at another size."""
    height, width = sample.metainfo.get('img_shape', maps.shape[-2:])[:2]
    maps = maps[:, :height, :width]
    if maps.shape[-2:] != tuple(size):
        maps = F.interpolate(maps[None], size=tuple(size), mode='bilinear',
                             align_corners=False)[0]
    return maps


def kmeans_baseline(backbone, preprocessor, dataset, num_clusters, seeds=(0, 1, 2),
                    spherical=True, max_points=100_000, batch_size=8, device='cpu', restarts=10,
                    crf=False, alpha=2.0, crf_workers=None, backbone_precision='fp32'):
    """k-means (K = ``num_clusters``, one run per seed) on ``backbone``'s features of every
    image of ``dataset``, each pixel assigned the cluster of its bilinearly upsampled feature and
    scored with Hungarian matching over the split.

    Fits on at most ``max_points`` patch features (the same random patches of every image for
    every seed); each seed's k-means keeps the best of ``restarts`` k-means++ runs;
    ``spherical``: cosine k-means (as the cluster probe), else Euclidean. ``crf``: also score
    the dense-CRF refinement (``useg.postprocess.refine_with_crf``, the segmentors' CRF) of
    ``log_softmax(alpha * cos)`` to the centroids (cosines bilinearly upsampled), as a method's
    ``crf_pred_sem_seg`` is scored. ``backbone_precision``: the autocast of the backbone pass, as
    the segmentors' ``model.backbone_precision``.

    Returns:
        list (one per seed) of dicts ``seed``, ``acc``, ``miou`` (percent) and, with ``crf``,
        ``crf_acc``, ``crf_miou``.
    """
    num_classes = len(dataset.metainfo['classes'])
    loader = DataLoader(dataset, batch_size=batch_size, num_workers=0, collate_fn=pseudo_collate)
    per_image = max(1, math.ceil(max_points / len(dataset)))
    sampler = torch.Generator().manual_seed(0)

    def batches(desc):
        for batch in tqdm(loader, desc=desc, unit='batch', leave=False):
            data = preprocessor(batch, False)
            with torch.no_grad(), backbone_autocast(backbone_precision, device):
                feats = backbone(data['inputs'].to(device))
            if isinstance(feats, (tuple, list)):  # mmseg backbones: the last level
                feats = feats[-1]
            feats = feats.float().cpu()
            images = unnormalised_images(data['inputs'], preprocessor) if crf else None
            yield data['inputs'].shape[-2:], feats, data['data_samples'], images

    points = []
    for _, feats, _, _ in batches('k-means features'):
        for tokens in feats.flatten(2).transpose(1, 2):  # (h * w, C) per image
            keep = torch.randperm(len(tokens), generator=sampler)[:per_image]
            points.append(tokens[keep])
    points = torch.cat(points)
    centroids = [kmeans(points, num_clusters, seed, restarts, spherical=spherical)
                 for seed in seeds]
    confusions = [torch.zeros(num_clusters, num_classes, dtype=torch.long) for _ in seeds]
    crf_confusions = [torch.zeros_like(confusion) for confusion in confusions]
    for input_size, feats, samples, images in batches('k-means assignment'):
        for seed_index, centres in enumerate(centroids):
            scores = F.interpolate(cluster_scores(feats, centres, spherical), size=input_size,
                                   mode='bilinear', align_corners=False)
            if crf:  # cosines to the centroids, the CRF's unaries as the cluster probe's
                cosines = F.interpolate(cluster_scores(F.normalize(feats), F.normalize(centres),
                                                       True),
                                        size=input_size, mode='bilinear', align_corners=False)
            crf_images, unaries, targets = [], [], []
            for index, (score, sample) in enumerate(zip(scores, samples)):
                target = sample.gt_sem_seg.data[0]
                score = at_label_size(score, sample, target.shape)
                confusions[seed_index] += confusion_matrix(score.argmax(0), target, num_classes,
                                                           num_clusters)
                if crf:
                    unaries.append(torch.log_softmax(
                        alpha * at_label_size(cosines[index], sample, target.shape), dim=0))
                    crf_images.append(UnsupervisedSegmentor.image_at_output_size(
                        images[index], sample, target.shape))
                    targets.append(target)
            if crf:
                refined = refine_with_crf(crf_images, unaries, num_workers=crf_workers)
                for probs, target in zip(refined, targets):
                    crf_confusions[seed_index] += confusion_matrix(
                        torch.from_numpy(probs).argmax(0), target, num_classes, num_clusters)
    results = []
    for seed, confusion in zip(seeds, confusions):
        acc, miou, _ = scores_from_confusion(confusion, match_clusters(confusion))
        results.append(dict(seed=seed, acc=acc, miou=miou))
    if crf:
        for result, confusion in zip(results, crf_confusions):
            acc, miou, _ = scores_from_confusion(confusion, match_clusters(confusion))
            result.update(crf_acc=acc, crf_miou=miou)
    return results


def config_num_clusters(model_cfg):
    """K of a model config: the cluster probe's ``num_clusters``, else ``num_clusters``, else
    ``num_classes``."""
    probe = model_cfg.get('cluster_probe') or {}
    return probe.get('num_clusters') or model_cfg.get('num_clusters') or model_cfg['num_classes']


def config_kmeans_baseline(cfg, seeds=(0, 1, 2), spherical=True, max_points=100_000,
                           batch_size=None, device='cpu', restarts=10, crf=False):
    """:func:`kmeans_baseline` of a config: its backbone (frozen, weights as configured; random
    ones drawn after seeding with ``randomness.seed``, as the runner does before building the
    model, so they are the weights the model starts from), data preprocessor, val split (the test
    split when it has no val loader), cluster count and ``backbone_precision``; with ``crf``, the
    config's ``test_cfg.alpha`` and ``crf_workers``. Returns ``(num_clusters, results)``."""
    init_default_scope(cfg.get('default_scope', 'useg'))
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    # seeded as the runner seeds before building the model: random-init backbones get the weights
    # the config's model starts from
    torch.manual_seed(cfg.get('randomness', {}).get('seed', 0))
    backbone = MODELS.build(cfg.model.backbone).to(device)
    backbone.eval()  # not chained: some backbones' train() returns None
    preprocessor = MODELS.build(cfg.model.data_preprocessor).to(device)
    loader_cfg = cfg.get('val_dataloader') or cfg.test_dataloader
    dataset = DATASETS.build(loader_cfg.dataset)
    num_clusters = config_num_clusters(cfg.model)
    test_cfg = cfg.model.get('test_cfg') or {}
    results = kmeans_baseline(backbone, preprocessor, dataset, num_clusters, seeds, spherical,
                              max_points, batch_size or loader_cfg.get('batch_size', 8),
                              device, restarts, crf, test_cfg.get('alpha', 2.0),
                              test_cfg.get('crf_workers'),
                              cfg.model.get('backbone_precision', 'fp32'))
    return num_clusters, results
