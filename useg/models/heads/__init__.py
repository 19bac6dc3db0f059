from .cluster_probe import ClusterProbe
from .linear_probe import LinearProbe
from .projection_head import ProjectionHead

__all__ = ['ClusterProbe', 'LinearProbe', 'ProjectionHead']
