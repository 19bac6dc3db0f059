"""Base class of pseudo-label generators (PriMaPs masks, saliency, superpixels)."""
import torch.nn as nn

from useg.utils import IGNORE_INDEX  # noqa: F401  (re-exported: plugins import it from here)


class BasePseudoLabeler(nn.Module):
    """``labeler(feats, images)`` -> ``(B, H, W)`` uint8 label maps, 255 = ignore.

    ``feats (B, C, h, w)`` are frozen backbone features of the images (``None`` when the class
    sets ``requires_features = False``); ``images (B, H, W, 3)`` are uint8 RGB. A class that sets
    ``requires_paths = True`` also receives ``img_paths`` (a list of the images' files), e.g. to
    read released maps. Subclasses register in ``useg.registry.PSEUDO_LABELERS`` and implement
    ``forward``.
    """

    requires_features = True
    requires_paths = False

    def cache_params(self):
        """Everything that changes the output: the class name and its plain-valued attributes."""
        params = {'type': type(self).__name__}
        for name, value in sorted(vars(self).items()):
            if not name.startswith('_') and isinstance(value, (bool, int, float, str, tuple, list)):
                params[name] = value
        return params
