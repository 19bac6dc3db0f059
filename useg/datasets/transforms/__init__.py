"""useg's data transforms (registered in ``useg.registry.TRANSFORMS``)."""
from .center_crop import CenterCrop
from .loading import LoadAnnotations
from .mat_loading import LoadMatAnnotations, LoadMatImageFromFile
from .photometric import ColorJitter, RandomGaussianBlur, RandomGrayscale
from .pil_resize import PILResizeShortSide, pil_resize
from .random_resized_crop import RandomResizedCrop

__all__ = ['CenterCrop', 'ColorJitter', 'LoadAnnotations', 'LoadMatAnnotations',
           'LoadMatImageFromFile', 'PILResizeShortSide', 'RandomGaussianBlur',
           'RandomGrayscale', 'RandomResizedCrop', 'pil_resize']
