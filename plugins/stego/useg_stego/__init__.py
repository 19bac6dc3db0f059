"""useg plugin: STEGO (Hamilton et al., ICLR 2022), https://arxiv.org/abs/2203.08414.

Importing it registers ``STEGOCorrelationLoss`` and ``STEGOSegmentor`` in ``useg.registry.MODELS``
(and makes sure ``KNNPairDataset`` is registered in ``DATASETS``).
"""
import useg.neighbors  # noqa: F401  (registers KNNPairDataset)
from .correlation_loss import STEGOCorrelationLoss, draw_negative_indices, sample_locations
from .paper_results import PAPER_RESULTS
from .stego_segmentor import STEGOSegmentor

__all__ = ['PAPER_RESULTS', 'STEGOCorrelationLoss', 'STEGOSegmentor', 'draw_negative_indices',
           'sample_locations']
