"""Cluster-to-class matching and the scores of unsupervised segmentation.

Rows of every confusion here are predicted ids (clusters), columns ground-truth classes.
"""
import torch
from scipy.optimize import linear_sum_assignment


def confusion_matrix(pred, target, num_classes, num_clusters):
    """Confusion ``(num_clusters, num_classes)`` int64 of integer maps of equal shape.

    Target values outside ``[0, num_classes)`` are ignored. A prediction outside
    ``[0, num_clusters)`` on a counted pixel raises ``ValueError`` naming the value.
    """
    pred = torch.as_tensor(pred)
    target = torch.as_tensor(target)
    if pred.shape != target.shape:
        raise ValueError(f'pred and target must have the same shape, got {tuple(pred.shape)} '
                         f'and {tuple(target.shape)}')
    if pred.is_floating_point() or target.is_floating_point():
        raise TypeError(f'pred and target must be integer tensors, got {pred.dtype} and '
                        f'{target.dtype}')
    pred = pred.reshape(-1).long().cpu()
    target = target.reshape(-1).long().cpu()
    valid = (target >= 0) & (target < num_classes)
    pred, target = pred[valid], target[valid]
    outside = (pred < 0) | (pred >= num_clusters)
    if outside.any():
        raise ValueError(f'prediction id {int(pred[outside][0])} is outside [0, {num_clusters}) '
                         f'(num_clusters={num_clusters}); raise num_clusters to cover it')
    counts = torch.bincount(pred * num_classes + target, minlength=num_clusters * num_classes)
    return counts.reshape(num_clusters, num_classes)


def match_clusters(confusion):
    """Assignment ``(num_clusters,)`` int64 cluster -> class maximising matched pixels.

    scipy ``linear_sum_assignment(maximize=True)``; clusters left without a class (more
    clusters than classes) get -1.
    """
    confusion = torch.as_tensor(confusion)
    rows, cols = linear_sum_assignment(confusion.numpy(), maximize=True)
    assignment = torch.full((confusion.shape[0],), -1, dtype=torch.long)
    assignment[torch.from_numpy(rows).long()] = torch.from_numpy(cols).long()
    return assignment


def scores_from_confusion(confusion, assignment):
    """Acc, mIoU (percent) and per-class IoU ``(num_classes,)`` (percent, NaN when undefined).

    ``confusion`` is ``(num_clusters, num_classes)``; ``assignment`` maps each cluster to a
    class or -1. Pixels of clusters mapped to -1 are errors: they count in the accuracy's
    denominator and as false negatives of their true class. A class whose IoU has an empty
    denominator (absent from target and from its matched prediction) is NaN and left out of
    the mean.
    """
    confusion = torch.as_tensor(confusion).double()
    assignment = torch.as_tensor(assignment).long()
    num_classes = confusion.shape[1]
    matched = assignment >= 0
    # matched_rows[j] = pixels predicted as class j (sum of the clusters mapped to j).
    matched_rows = torch.zeros(num_classes, num_classes, dtype=torch.float64)
    matched_rows.index_add_(0, assignment[matched], confusion[matched])
    true_positive = matched_rows.diagonal()
    false_positive = matched_rows.sum(1) - true_positive
    false_negative = confusion.sum(0) - true_positive
    union = true_positive + false_positive + false_negative
    iou = torch.where(union > 0, true_positive / union.clamp(min=1),
                      torch.full_like(union, float('nan')))
    total = confusion.sum()
    acc = float(true_positive.sum() / total * 100) if total > 0 else float('nan')
    defined = ~torch.isnan(iou)
    miou = float(iou[defined].mean() * 100) if defined.any() else float('nan')
    return acc, miou, iou * 100


def hungarian_scores(pred, target, num_classes, num_clusters=None):
    """Hungarian-matched scores of cluster ids ``pred`` against class ids ``target``.

    Args:
        pred: integer tensor of cluster ids in ``[0, num_clusters)``, any shape.
        target: integer tensor of class ids, same shape; values outside
            ``[0, num_classes)`` are ignored.
        num_classes: number of ground-truth classes.
        num_clusters: number of clusters (default ``num_classes``). With more clusters than
            classes the unmatched clusters' pixels count as errors.

    Returns:
        dict with ``acc`` and ``miou`` (percent floats), ``iou`` (``(num_classes,)`` float64,
        percent, NaN for classes absent from both prediction and target), ``assignment``
        (LongTensor ``(num_clusters,)``, cluster -> class or -1) and ``confusion``
        (LongTensor ``(num_clusters, num_classes)``, rows = clusters).
    """
    num_clusters = num_classes if num_clusters is None else num_clusters
    confusion = confusion_matrix(pred, target, num_classes, num_clusters)
    assignment = match_clusters(confusion)
    acc, miou, iou = scores_from_confusion(confusion, assignment)
    return dict(acc=acc, miou=miou, iou=iou, assignment=assignment, confusion=confusion)
