"""useg plugin: STEGO (Hamilton et al., ICLR 2022), https://arxiv.org/abs/2203.08414.

Importing it registers ``STEGOCorrelationLoss`` and ``STEGOSegmentor`` in ``useg.registry.MODELS``
(and makes sure ``KNNPairDataset`` is registered in ``DATASETS``).
"""
import useg.neighbors  # noqa: F401  (registers KNNPairDataset)
from .correlation_loss import (STEGOCorrelationLoss, correlation_loss_map, cosine_correlation,
                               draw_negative_indices, feature_correlation, sample_locations,
                               uniform_coords)
from .paper_results import PAPER_RESULTS
from .stego_segmentor import STEGOSegmentor

__all__ = ['PAPER_RESULTS', 'STEGOCorrelationLoss', 'STEGOSegmentor', 'correlation_loss_map',
           'cosine_correlation', 'draw_negative_indices', 'feature_correlation', 'sample_locations',
           'uniform_coords']
