from . import backbones, heads  # noqa: F401  (registration)
from .heads import (ClusterProbe, LinearProbe, ProjectionHead, cluster_probe_loss,
                    cosine_similarity_map)
from .segmentor import UnsupervisedSegmentor, unnormalised_images

__all__ = ['ClusterProbe', 'LinearProbe', 'ProjectionHead', 'UnsupervisedSegmentor',
           'cluster_probe_loss', 'cosine_similarity_map', 'unnormalised_images']
