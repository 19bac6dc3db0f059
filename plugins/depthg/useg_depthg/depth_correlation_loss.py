"""DepthG's depth-feature correlation term: code self-correlations pushed towards depth similarity."""
import torch
import torch.nn.functional as F
from torch import nn

from useg.registry import MODELS
from useg_stego import sample_locations

NORM_EPS = 1e-10
NO_CLAMP_MIN = -9999.0
STABILIZE_MAX = 0.8
MODES = ('distance', 'reference')


def _self_correlation(tensor):
    """Channel-normalised (eps 1e-10) ``(B, C, S, S)`` -> ``(B, S, S, S, S)`` self-correlation."""
    normed = F.normalize(tensor, dim=1, eps=NORM_EPS)
    return torch.einsum('nchw,ncij->nhwij', normed, normed)


@MODELS.register_module()
class DepthFeatureCorrelationLoss(nn.Module):
    """``weight * mean(-clamp(code_corr, lo, hi) * (depth_corr - shift))`` over sampled locations.

    Args:
        shift (float): b_d.
        weight (float): lambda_d.
        mode: ``'distance'`` (depth read at ``coords``, ``depth_corr = 1 - |d - d'|``, depth in [0, 1])
            or ``'reference'`` (depth resized to ``S x S`` with ``align_corners=True``, ``depth_corr``
            the product of its channel-normalised values, i.e. of its signs).
        zero_clamp (bool): clamp ``code_corr`` at 0 from below (else at -9999).
        stabilize (bool): also clamp ``code_corr`` at 0.8 from above.
    """

    def __init__(self, shift, weight=1.0, mode='distance', zero_clamp=True, stabilize=False):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f'mode must be one of {MODES}, got {mode!r}')
        self.shift = float(shift)
        self.weight = float(weight)
        self.mode = mode
        self.zero_clamp = bool(zero_clamp)
        self.stabilize = bool(stabilize)

    def depth_correlation(self, depth, size, coords=None):
        """``depth (B, 1, H, W)`` -> ``(B, S, S, S, S)`` depth correlation on the ``S x S`` samples."""
        with torch.no_grad():
            if self.mode == 'reference':
                resized = F.interpolate(depth, size=size, mode='bilinear', align_corners=True)
                return _self_correlation(resized)
            if coords is None:
                raise ValueError("mode='distance' needs the sample coords (B, S, S, 2)")
            sampled = sample_locations(depth, coords)[:, 0]
            return 1 - (sampled[:, :, :, None, None] - sampled[:, None, None]).abs()

    def forward(self, code, depth, coords=None):
        """Depth term of sampled ``code (B, D, S, S)`` and full-resolution ``depth (B, 1, H, W)``.

        Returns:
            dict: ``loss`` (weighted mean), ``loss_map`` / ``depth_corr`` / ``code_corr`` (the last
            unclamped), each ``(B, S, S, S, S)``.
        """
        if depth.dim() != 4 or depth.shape[1] != 1 or depth.shape[0] != code.shape[0]:
            raise ValueError(f'depth must be (B={code.shape[0]}, 1, H, W), got {tuple(depth.shape)}')
        depth_corr = self.depth_correlation(depth.to(code.dtype), tuple(code.shape[2:]), coords)
        code_corr = _self_correlation(code)
        min_value = 0.0 if self.zero_clamp else NO_CLAMP_MIN
        max_value = STABILIZE_MAX if self.stabilize else None
        loss_map = -code_corr.clamp(min_value, max_value) * (depth_corr - self.shift)
        return dict(loss=self.weight * loss_map.mean(), loss_map=loss_map, depth_corr=depth_corr,
                    code_corr=code_corr)
