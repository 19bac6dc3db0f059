"""SmooSeg for useg: importing this package registers its components."""
from .negative_pairing import other_image_indices
from .paper_results import PAPER_RESULTS
from .smooseg_loss import SmooSegLoss
from .smooseg_segmentor import SmooSegSegmentor

__all__ = ['PAPER_RESULTS', 'SmooSegLoss', 'SmooSegSegmentor', 'other_image_indices']
