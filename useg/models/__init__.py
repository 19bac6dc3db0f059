from . import backbones, heads  # noqa: F401  (registration)
from .heads import ClusterProbe, LinearProbe, ProjectionHead
from .segmentor import UnsupervisedSegmentor

__all__ = ['ClusterProbe', 'LinearProbe', 'ProjectionHead', 'UnsupervisedSegmentor']
