from .cluster_kmeans_hook import ClusterKMeansHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = ['ClusterKMeansHook', 'SafeCheckpointHook']
