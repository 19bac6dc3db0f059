"""useg's data transforms (registered in ``useg.registry.TRANSFORMS``)."""
from .center_crop import TorchvisionCenterCrop
from .loading import LoadCheckedAnnotations
from .mat_loading import LoadMatAnnotations, LoadMatImageFromFile
from .photometric import ColorJitter, RandomGaussianBlur, TorchvisionRandomGrayscale
from .pil_resize import PILResizeShortSide, pil_resize
from .random_resized_crop import RandomResizedCrop

__all__ = ['ColorJitter', 'LoadCheckedAnnotations', 'LoadMatAnnotations', 'LoadMatImageFromFile',
           'PILResizeShortSide', 'RandomGaussianBlur', 'RandomResizedCrop', 'TorchvisionCenterCrop',
           'TorchvisionRandomGrayscale', 'pil_resize']
