"""useg plugin: EAGLE (Kim et al., CVPR 2024), https://arxiv.org/abs/2403.01482.

Importing it registers ``EAGLECorrelationLoss``, ``ObjectContrastiveLoss`` and ``EAGLESegmentor``
in ``useg.registry.MODELS``.
"""
from .correlation_loss import EAGLECorrelationLoss
from .eagle_segmentor import EAGLESegmentor, loss_schedule
from .eicue import color_affinity, eicue, eicue_eigenvectors, eicue_laplacian, flip_eigenvector_signs
from .keys import convert_reference_state_dict, multilevel_keys
from .reference_checkpoint import convert_reference_checkpoint
from .object_loss import ObjectContrastiveLoss, token_weights

__all__ = ['EAGLECorrelationLoss', 'EAGLESegmentor', 'ObjectContrastiveLoss', 'color_affinity',
           'convert_reference_checkpoint',
           'convert_reference_state_dict', 'eicue', 'eicue_eigenvectors', 'eicue_laplacian',
           'flip_eigenvector_signs', 'loss_schedule', 'multilevel_keys', 'token_weights']
