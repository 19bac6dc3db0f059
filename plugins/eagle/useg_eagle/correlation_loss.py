"""EAGLE's two-term correlation loss with data-dependent (differentiable) shifts."""
import torch
from torch import nn

from useg.registry import MODELS
from useg_stego import (correlation_loss_map, cosine_correlation, draw_negative_indices,
                        feature_correlation, sample_locations, uniform_coords)


@MODELS.register_module()
class EAGLECorrelationLoss(nn.Module):
    """STEGO-style correlation distillation with two terms: the image against its blurred copy
    (``pos_inter``) and against other images of the batch (``neg_inter``).

    The shift of each term is computed from the current feature and code correlation means, and
    gradient flows through the code mean.

    Args:
        pos_inter_weight, neg_inter_weight (float): term weights.
        shift_bias (float): subtracted inside both shifts.
        shift_value (float): multiplier of the negative shift.
        feature_samples (int): S, side of the S x S grid of sampled locations.
        neg_samples (int): negative re-indexings per step.
        pointwise, zero_clamp, stabilize (bool): as in STEGO (clamp to [0, 0.8] with both).
    """

    def __init__(self, pos_inter_weight=0.25, neg_inter_weight=0.63, shift_bias=0.0, shift_value=3.5,
                 feature_samples=11, neg_samples=5, pointwise=True, zero_clamp=True, stabilize=True):
        super().__init__()
        if feature_samples < 1 or neg_samples < 1:
            raise ValueError(f'feature_samples and neg_samples must be >= 1, got '
                             f'{feature_samples}, {neg_samples}')
        self.pos_inter_weight = float(pos_inter_weight)
        self.neg_inter_weight = float(neg_inter_weight)
        self.shift_bias = float(shift_bias)
        self.shift_value = float(shift_value)
        self.feature_samples = int(feature_samples)
        self.neg_samples = int(neg_samples)
        self.pointwise = bool(pointwise)
        self.zero_clamp = bool(zero_clamp)
        self.stabilize = bool(stabilize)

    def correlation_term(self, f1, f2, c1, c2, positive):
        """One term before its mean.

        Args:
            f1, f2: features ``(N, C, S, S)`` (no gradient through them).
            c1, c2: codes ``(N, D, S, S)``.
            positive (bool): positive (absolute) or negative (scaled) shift.

        Returns:
            ``(loss_map, code_corr)``, both ``(N, S, S, S, S)``.
        """
        feat_corr = feature_correlation(f1, f2, self.pointwise)
        code_corr = cosine_correlation(c1, c2)
        if positive:
            shift = (feat_corr.mean() - code_corr.mean() - self.shift_bias).abs()
        else:
            shift = (feat_corr.mean() + code_corr.mean() - self.shift_bias) * self.shift_value
        loss_map = correlation_loss_map(code_corr, feat_corr, shift, self.zero_clamp, self.stabilize)
        return loss_map, code_corr

    def draw_coords(self, batch_size, device):
        """Uniform locations ``(B, S, S, 2)`` in [-1, 1]."""
        return uniform_coords(batch_size, self.feature_samples, device)

    def forward(self, feats, feats_pos, feats_aug, code, code_pos, code_aug, coords1=None,
                coords2=None, coords3=None, perms=None):
        """Weighted terms of one step.

        Args:
            feats, feats_pos, feats_aug: signals ``(B, C, h, w)`` of the image, its positive and its
                blurred copy.
            code, code_pos, code_aug: their codes ``(B, D, h, w)``.
            coords1, coords2, coords3: ``(B, S, S, 2)`` in [-1, 1], drawn in this order when None.
            perms: ``(neg_samples, B)`` batch indices of the negatives (STEGO's draws when None).

        Returns:
            dict: ``loss_pos_inter``, ``loss_neg_inter`` and detached ``code_corr_pos_inter``,
            ``code_corr_neg_inter``.
        """
        batch_size, device = feats.shape[0], feats.device
        if perms is not None and tuple(perms.shape) != (self.neg_samples, batch_size):
            raise ValueError(f'perms must be (neg_samples={self.neg_samples}, B={batch_size}), '
                             f'got {tuple(perms.shape)}')
        coords1 = self.draw_coords(batch_size, device) if coords1 is None else coords1
        coords2 = self.draw_coords(batch_size, device) if coords2 is None else coords2
        coords3 = self.draw_coords(batch_size, device) if coords3 is None else coords3

        pos_loss, pos_corr = self.correlation_term(
            sample_locations(feats_aug, coords3), sample_locations(feats_pos, coords2),
            sample_locations(code_aug, coords3), sample_locations(code_pos, coords2), positive=True)
        sampled_feats, sampled_code = sample_locations(feats, coords1), sample_locations(code, coords1)
        neg_losses, neg_corrs = [], []
        for draw in range(self.neg_samples):
            indices = (draw_negative_indices(batch_size, device) if perms is None
                       else perms[draw].to(device=device, dtype=torch.long))
            loss_map, code_corr = self.correlation_term(
                sampled_feats, sample_locations(feats[indices], coords2), sampled_code,
                sample_locations(code[indices], coords2), positive=False)
            neg_losses.append(loss_map)
            neg_corrs.append(code_corr)
        return dict(loss_pos_inter=self.pos_inter_weight * pos_loss.mean(),
                    loss_neg_inter=self.neg_inter_weight * torch.cat(neg_losses).mean(),
                    code_corr_pos_inter=pos_corr.detach().mean(),
                    code_corr_neg_inter=torch.cat(neg_corrs).detach().mean())
