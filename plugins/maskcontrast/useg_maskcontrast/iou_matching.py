"""MaskContrast's cluster-to-class matching on IoU (not pixel counts) and its mIoU."""
import torch
from scipy.optimize import linear_sum_assignment


def iou_matrix(confusion):
    """``confusion (K, C)`` (rows predicted ids, columns classes) -> IoU ``(K, C)`` float64."""
    confusion = torch.as_tensor(confusion).double()
    union = confusion.sum(1, keepdim=True) + confusion.sum(0, keepdim=True) - confusion
    return confusion / union.clamp(min=1e-8)


def match_by_iou(confusion):
    """Assignment ``(K,)`` cluster -> class: Hungarian on IoU when ``K == C``, else each cluster's
    argmax-IoU class (the reference's majority vote)."""
    iou = iou_matrix(confusion)
    if iou.shape[0] != iou.shape[1]:
        return iou.argmax(1)
    rows, cols = linear_sum_assignment(iou.numpy(), maximize=True)
    assignment = torch.empty(iou.shape[0], dtype=torch.long)
    assignment[torch.from_numpy(rows).long()] = torch.from_numpy(cols).long()
    return assignment


def class_iou(confusion, assignment):
    """Per-class IoU ``(C,)`` = TP / max(TP + FP + FN, 1e-8) after mapping clusters to classes.

    A class absent from both ground truth and prediction scores 0 and stays in the mean.
    """
    confusion = torch.as_tensor(confusion).double()
    num_classes = confusion.shape[1]
    mapped = torch.zeros(num_classes, num_classes, dtype=torch.float64)
    mapped.index_add_(0, torch.as_tensor(assignment).long(), confusion)
    true_positive = mapped.diagonal()
    false_positive = mapped.sum(1) - true_positive
    false_negative = mapped.sum(0) - true_positive
    return true_positive / (true_positive + false_positive + false_negative).clamp(min=1e-8)
