"""Evaluation of unsupervised segmentation: Hungarian matching, Acc and mIoU."""
from .hungarian import confusion_matrix, hungarian_scores, match_clusters, scores_from_confusion
from .hungarian_metric import HungarianMetric

__all__ = ['HungarianMetric', 'confusion_matrix', 'hungarian_scores', 'match_clusters',
           'scores_from_confusion']
