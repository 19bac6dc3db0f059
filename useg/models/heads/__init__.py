from .cluster_probe import ClusterProbe, cluster_probe_loss, cosine_similarity_map
from .linear_probe import LinearProbe
from .projection_head import ProjectionHead

__all__ = ['ClusterProbe', 'LinearProbe', 'ProjectionHead', 'cluster_probe_loss',
           'cosine_similarity_map']
