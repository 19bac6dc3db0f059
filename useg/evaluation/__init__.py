"""Evaluation of unsupervised segmentation: Hungarian matching, Acc and mIoU, collapse check."""
from .hungarian import confusion_matrix, hungarian_scores, match_clusters, scores_from_confusion
from .hungarian_metric import HungarianMetric, cluster_shares, collapse_message

__all__ = ['HungarianMetric', 'cluster_shares', 'collapse_message', 'confusion_matrix',
           'hungarian_scores', 'match_clusters', 'scores_from_confusion']
