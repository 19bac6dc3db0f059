from . import backbones, heads  # noqa: F401  (registration)
from .heads import (ClusterProbe, LinearProbe, ProjectionHead, cluster_probe_loss,
                    cosine_similarity_map)
from .data_preprocessor import UsegDataPreProcessor, is_padded, unpadded_batches
from .segmentor import UnsupervisedSegmentor, unnormalised_images

__all__ = ['ClusterProbe', 'LinearProbe', 'ProjectionHead', 'UnsupervisedSegmentor', 'UsegDataPreProcessor',
           'cluster_probe_loss', 'cosine_similarity_map', 'is_padded', 'unnormalised_images', 'unpadded_batches']
