"""useg plugin: DepthG (Sick et al., CVPR 2024), https://arxiv.org/abs/2309.12378.

Importing it registers ``DepthGSegmentor``, ``DepthGCorrelationLoss`` and
``DepthFeatureCorrelationLoss`` in ``useg.registry.MODELS``, ``LoadDepthMap`` in ``TRANSFORMS`` and
``DepthMapsHook`` in ``HOOKS`` and the ``depth`` step in ``PRECOMPUTE_STEPS``.
"""
from .correlation_loss import DepthGCorrelationLoss
from .depth_correlation_loss import DepthFeatureCorrelationLoss
from .depth_io import depth_to_uint8
from .depth_sampling import depth_guided_coords, depth_to_points, farthest_point_indices
from .depth_maps_hook import DepthMapsHook
from .depth_step import DepthMapsStep
from .depthg_segmentor import DepthGSegmentor
from .load_depth_map import LoadDepthMap
from .precompute import precompute_depth_maps
from .reference_checkpoint import convert_reference_checkpoint
from .schedule import DepthGSchedule

__all__ = ['DepthFeatureCorrelationLoss', 'DepthGCorrelationLoss', 'DepthGSchedule', 'DepthGSegmentor',
           'DepthMapsHook', 'DepthMapsStep', 'LoadDepthMap', 'convert_reference_checkpoint',
           'depth_guided_coords', 'depth_to_points', 'depth_to_uint8', 'farthest_point_indices',
           'precompute_depth_maps']
