"""SmooSeg for useg: importing this package registers its components."""
from .negative_pairing import other_image_indices
from .smooseg_loss import SmooSegLoss
from .smooseg_segmentor import SmooSegSegmentor

__all__ = ['SmooSegLoss', 'SmooSegSegmentor', 'other_image_indices']
