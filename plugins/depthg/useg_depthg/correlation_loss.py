"""DepthG's correlation loss of one step: STEGO's three terms plus the depth term."""

from useg.registry import MODELS
from useg_stego import STEGOCorrelationLoss, sample_locations
from .depth_correlation_loss import DepthFeatureCorrelationLoss
from .depth_sampling import COORD_MODES, depth_guided_coords

SAMPLINGS = ('fps', 'random')


@MODELS.register_module()
class DepthGCorrelationLoss(STEGOCorrelationLoss):
    """:class:`useg_stego.STEGOCorrelationLoss` with depth-guided sample locations and a depth term.

    Sample locations: :func:`depth_guided_coords` of each image's and each neighbour's depth
    (``sampling='fps'``) or STEGO's uniform draw (``'random'``, coords1 first). The depth term is
    :class:`DepthFeatureCorrelationLoss` on the coords1-sampled code and the image depth.
    ``feature_samples``, ``depth_weight``, ``depth_shift`` and ``sampling`` may be changed between
    steps (see :class:`DepthGSchedule`).

    Args:
        pos_*/neg_* weights and shifts, feature_samples, neg_samples, pointwise, zero_clamp,
            stabilize: as :class:`STEGOCorrelationLoss`.
        depth_weight, depth_shift (float): lambda_d and b_d of the depth term.
        sampling: ``'fps'`` or ``'random'``.
        depth_mode: :class:`DepthFeatureCorrelationLoss` ``mode``.
        coords_mode, fov, far, fov_unit: :func:`depth_guided_coords` arguments.
    """

    def __init__(self, pos_intra_weight, pos_inter_weight, neg_inter_weight, pos_intra_shift,
                 pos_inter_shift, neg_inter_shift, depth_weight, depth_shift, feature_samples=11,
                 neg_samples=5, pointwise=True, zero_clamp=True, stabilize=False, sampling='fps',
                 depth_mode='distance', coords_mode='centered', fov=90.0, far=5.0, fov_unit='degree'):
        super().__init__(pos_intra_weight, pos_inter_weight, neg_inter_weight, pos_intra_shift,
                         pos_inter_shift, neg_inter_shift, feature_samples=feature_samples,
                         neg_samples=neg_samples, pointwise=pointwise, zero_clamp=zero_clamp,
                         stabilize=stabilize)
        if sampling not in SAMPLINGS:
            raise ValueError(f'sampling must be one of {SAMPLINGS}, got {sampling!r}')
        if coords_mode not in COORD_MODES:
            raise ValueError(f'coords_mode must be one of {COORD_MODES}, got {coords_mode!r}')
        self.depth_weight = float(depth_weight)
        self.depth_shift = float(depth_shift)
        self.sampling = sampling
        self.coords_mode = coords_mode
        self.fov = float(fov)
        self.far = float(far)
        self.fov_unit = fov_unit
        self.depth_term = DepthFeatureCorrelationLoss(depth_shift, mode=depth_mode,
                                                      zero_clamp=zero_clamp, stabilize=stabilize)

    def sample_coords(self, depth, grid_size):
        """Locations ``(B, S, S, 2)`` for one side of the pair (FPS on ``depth``, or uniform)."""
        if self.sampling == 'random':
            return self.draw_coords(depth.shape[0], depth.device)
        if self.sampling != 'fps':
            raise ValueError(f'sampling must be one of {SAMPLINGS}, got {self.sampling!r}')
        return depth_guided_coords(depth, grid_size, self.feature_samples, fov=self.fov, far=self.far,
                                   fov_unit=self.fov_unit, coords=self.coords_mode)

    def forward(self, feats, feats_pos, code, code_pos, depth, depth_pos, coords1=None, coords2=None,
                perms=None):
        """Weighted terms of one step.

        Args:
            feats, feats_pos: ``(B, C, h, w)``; code, code_pos: ``(B, D, h, w)``;
            depth, depth_pos: ``(B, 1, H, W)`` of the images and their neighbours;
            coords1, coords2, perms: as :class:`STEGOCorrelationLoss` (coords from ``sampling`` when None).

        Returns:
            dict: STEGO's keys plus ``loss_depth``.
        """
        for name, tensor in dict(depth=depth, depth_pos=depth_pos).items():
            if tensor.dim() != 4 or tensor.shape[1] != 1 or tensor.shape[0] != feats.shape[0]:
                raise ValueError(f'{name} must be (B={feats.shape[0]}, 1, H, W), got {tuple(tensor.shape)}')
        grid_size = tuple(feats.shape[2:])
        if coords1 is None:
            coords1 = self.sample_coords(depth, grid_size)
        if coords2 is None:
            coords2 = self.sample_coords(depth_pos, tuple(feats_pos.shape[2:]))
        losses = super().forward(feats, feats_pos, code, code_pos, coords1, coords2, perms)
        self.depth_term.shift = self.depth_shift
        depth_map = self.depth_term(sample_locations(code, coords1), depth, coords1)['loss_map']
        losses['loss_depth'] = self.depth_weight * depth_map.mean()
        return losses
