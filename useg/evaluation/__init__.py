"""Evaluation of unsupervised segmentation: Hungarian matching, Acc and mIoU, collapse check,
k-means baselines."""
from .hungarian import confusion_matrix, hungarian_scores, match_clusters, scores_from_confusion
from .hungarian_metric import HungarianMetric, cluster_shares, collapse_message
from .kmeans import kmeans
from .kmeans_baseline import config_kmeans_baseline, config_num_clusters, kmeans_baseline

__all__ = ['HungarianMetric', 'cluster_shares', 'collapse_message', 'config_kmeans_baseline',
           'config_num_clusters', 'confusion_matrix', 'hungarian_scores', 'kmeans',
           'kmeans_baseline', 'match_clusters', 'scores_from_confusion']
