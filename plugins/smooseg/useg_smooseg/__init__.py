"""SmooSeg for useg: importing this package registers its components."""
from .smooseg_loss import SmooSegLoss
from .smooseg_segmentor import SmooSegSegmentor

__all__ = ['SmooSegLoss', 'SmooSegSegmentor']
