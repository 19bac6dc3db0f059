"""STEGO's contrastive feature-correlation distillation loss (Hamilton et al., ICLR 2022)."""
import torch
import torch.nn.functional as F
from torch import nn

from useg.registry import MODELS

NORM_EPS = 1e-10
NO_CLAMP_MIN = -9999.0
STABILIZE_MAX = 0.8


def _normalize(tensor):
    """L2-normalise ``(N, C, H, W)`` along C with STEGO's eps."""
    return F.normalize(tensor, dim=1, eps=NORM_EPS)


def _correlation(first, second):
    """``(N, C, H, W)`` x ``(N, C, I, J)`` -> ``(N, H, W, I, J)`` channel inner products."""
    return torch.einsum('nchw,ncij->nhwij', first, second)


def cosine_correlation(first, second):
    """``(N, C, H, W)`` x ``(N, C, I, J)`` -> ``(N, H, W, I, J)`` cosine correlations (eps 1e-10)."""
    return _correlation(_normalize(first), _normalize(second))


def feature_correlation(f1, f2, pointwise):
    """STEGO's target: the cosine correlation of features ``(N, C, H, W)`` x ``(N, C, I, J)``
    (no gradient), centred per query location when ``pointwise`` (global mean kept) ->
    ``(N, H, W, I, J)``."""
    with torch.no_grad():
        feat_corr = cosine_correlation(f1, f2)
        if pointwise:
            global_mean = feat_corr.mean()
            feat_corr = feat_corr - feat_corr.mean(dim=(3, 4), keepdim=True)
            feat_corr = feat_corr - feat_corr.mean() + global_mean
    return feat_corr


def correlation_loss_map(code_corr, feat_corr, shift, zero_clamp, stabilize):
    """``-clamp(code_corr) * (feat_corr - shift)``: clamped at 0 (``zero_clamp``, else -9999) from
    below and at 0.8 from above with ``stabilize``; ``shift`` a float or a tensor."""
    min_value = 0.0 if zero_clamp else NO_CLAMP_MIN
    max_value = STABILIZE_MAX if stabilize else None
    return -code_corr.clamp(min_value, max_value) * (feat_corr - shift)


def uniform_coords(batch_size, samples, device=None):
    """Uniform sample locations ``(B, S, S, 2)`` in [-1, 1]."""
    return torch.rand((batch_size, samples, samples, 2), device=device) * 2 - 1


def sample_locations(tensor, coords):
    """Bilinear samples of ``tensor (B, C, H, W)`` at ``coords (B, S, S, 2)`` in [-1, 1].

    ``coords[..., 0]`` is x (width), ``[..., 1]`` y (height). As in the reference the two grid axes are
    transposed before sampling: output ``[b, :, i, j]`` reads ``coords[b, j, i]``. Border padding,
    ``align_corners=True``. Returns ``(B, C, S, S)``.
    """
    return F.grid_sample(tensor, coords.to(tensor.dtype).permute(0, 2, 1, 3), mode='bilinear',
                         padding_mode='border', align_corners=True)


def draw_negative_indices(batch_size, device=None):
    """STEGO's negative re-indexing ``(B,)``: a random permutation whose fixed points get +1 (mod B).

    Not necessarily a permutation (duplicates can appear); with ``B == 1`` it is ``[0]``.
    """
    perm = torch.randperm(batch_size, device=device)
    perm[perm == torch.arange(batch_size, device=device)] += 1
    return perm % batch_size


@MODELS.register_module()
class STEGOCorrelationLoss(nn.Module):
    """Correlation distillation: code correlations are pushed towards shifted feature correlations.

    Three terms, each ``weight * mean(-clamp(code_corr) * (feat_corr - shift))`` over sampled locations:
    ``pos_intra`` (an image with itself), ``pos_inter`` (with its KNN neighbour) and ``neg_inter``
    (with other images of the batch, ``neg_samples`` draws averaged together).

    Args:
        pos_intra_weight, pos_inter_weight, neg_inter_weight (float): term weights (lambda).
        pos_intra_shift, pos_inter_shift, neg_inter_shift (float): term shifts (b).
        feature_samples (int): S, the side of the S x S grid of sampled locations per image.
        neg_samples (int): number of negative re-indexings per step.
        pointwise (bool): centre the feature correlation per query location.
        zero_clamp (bool): clamp the code correlation at 0 from below (else at -9999).
        stabilize (bool): also clamp the code correlation at 0.8 from above.
    """

    def __init__(self, pos_intra_weight, pos_inter_weight, neg_inter_weight, pos_intra_shift,
                 pos_inter_shift, neg_inter_shift, feature_samples=11, neg_samples=5, pointwise=True,
                 zero_clamp=True, stabilize=False):
        super().__init__()
        if feature_samples < 1:
            raise ValueError(f'feature_samples must be >= 1, got {feature_samples}')
        if neg_samples < 1:
            raise ValueError(f'neg_samples must be >= 1, got {neg_samples}')
        self.weights = dict(pos_intra=float(pos_intra_weight), pos_inter=float(pos_inter_weight),
                            neg_inter=float(neg_inter_weight))
        self.shifts = dict(pos_intra=float(pos_intra_shift), pos_inter=float(pos_inter_shift),
                           neg_inter=float(neg_inter_shift))
        self.feature_samples = int(feature_samples)
        self.neg_samples = int(neg_samples)
        self.pointwise = bool(pointwise)
        self.zero_clamp = bool(zero_clamp)
        self.stabilize = bool(stabilize)

    def correlation_term(self, f1, f2, c1, c2, shift):
        """One term before its mean.

        Args:
            f1, f2: features ``(N, C, H, W)`` and ``(N, C, I, J)`` (no gradient is taken through them).
            c1, c2: codes ``(N, D, H, W)`` and ``(N, D, I, J)``.
            shift (float): b.

        Returns:
            ``(loss_map, code_corr)``, both ``(N, H, W, I, J)``: ``-clamp(code_corr) * (feat_corr - b)``
            and the unclamped code correlation.
        """
        feat_corr = feature_correlation(f1, f2, self.pointwise)
        code_corr = cosine_correlation(c1, c2)
        loss_map = correlation_loss_map(code_corr, feat_corr, shift, self.zero_clamp, self.stabilize)
        return loss_map, code_corr

    def draw_coords(self, batch_size, device):
        """Uniform locations ``(B, S, S, 2)`` in [-1, 1]."""
        return uniform_coords(batch_size, self.feature_samples, device)

    def _check_inputs(self, feats, feats_pos, code, code_pos, coords1, coords2, perms):
        batch_size = feats.shape[0]
        for name, tensor in dict(feats=feats, feats_pos=feats_pos, code=code,
                                 code_pos=code_pos).items():
            if tensor.dim() != 4 or tensor.shape[0] != batch_size:
                raise ValueError(f'{name} must be (B={batch_size}, C, h, w), got {tuple(tensor.shape)}')
        if feats.shape[1] != feats_pos.shape[1] or code.shape[1] != code_pos.shape[1]:
            raise ValueError('feats/feats_pos and code/code_pos must have matching channels, got '
                             f'{feats.shape[1]}/{feats_pos.shape[1]} and {code.shape[1]}/{code_pos.shape[1]}')
        for name, coords in dict(coords1=coords1, coords2=coords2).items():
            if coords is not None and (coords.dim() != 4 or coords.shape[0] != batch_size
                                       or coords.shape[1] != coords.shape[2] or coords.shape[3] != 2):
                raise ValueError(f'{name} must be (B={batch_size}, S, S, 2), got {tuple(coords.shape)}')
        if perms is not None:
            if perms.shape != (self.neg_samples, batch_size):
                raise ValueError(f'perms must be (neg_samples={self.neg_samples}, B={batch_size}), '
                                 f'got {tuple(perms.shape)}')
            if perms.numel() and (perms.min() < 0 or perms.max() >= batch_size):
                raise ValueError(f'perms must index the batch: values in [0, {batch_size})')

    def forward(self, feats, feats_pos, code, code_pos, coords1=None, coords2=None, perms=None):
        """Weighted correlation terms of one step.

        Args:
            feats, feats_pos: backbone features ``(B, C, h, w)`` of the images and their neighbours.
            code, code_pos: head codes ``(B, D, h, w)`` of the same images.
            coords1, coords2: optional sample locations ``(B, S, S, 2)`` in [-1, 1] for the images and
                for the neighbours/negatives; drawn uniformly when None.
            perms: optional ``(neg_samples, B)`` batch indices of the negatives; drawn with
                :func:`draw_negative_indices` when None.

        Returns:
            dict: ``loss_pos_intra``, ``loss_pos_inter``, ``loss_neg_inter`` (weighted means) and
            ``code_corr_pos_intra``, ``code_corr_pos_inter``, ``code_corr_neg_inter`` (detached means of
            the unclamped code correlations).
        """
        self._check_inputs(feats, feats_pos, code, code_pos, coords1, coords2, perms)
        batch_size, device = feats.shape[0], feats.device
        if coords1 is None:
            coords1 = self.draw_coords(batch_size, device)
        if coords2 is None:
            coords2 = self.draw_coords(batch_size, device)

        sampled_feats = sample_locations(feats, coords1)
        sampled_code = sample_locations(code, coords1)
        sampled_feats_pos = sample_locations(feats_pos, coords2)
        sampled_code_pos = sample_locations(code_pos, coords2)

        terms = dict(
            pos_intra=self.correlation_term(sampled_feats, sampled_feats, sampled_code, sampled_code,
                                            self.shifts['pos_intra']),
            pos_inter=self.correlation_term(sampled_feats, sampled_feats_pos, sampled_code,
                                            sampled_code_pos, self.shifts['pos_inter']))
        negative_losses, negative_corrs = [], []
        for draw in range(self.neg_samples):
            indices = (draw_negative_indices(batch_size, device) if perms is None
                       else perms[draw].to(device=device, dtype=torch.long))
            loss_map, code_corr = self.correlation_term(
                sampled_feats, sample_locations(feats[indices], coords2), sampled_code,
                sample_locations(code[indices], coords2), self.shifts['neg_inter'])
            negative_losses.append(loss_map)
            negative_corrs.append(code_corr)
        terms['neg_inter'] = (torch.cat(negative_losses), torch.cat(negative_corrs))

        losses = {}
        for name, (loss_map, code_corr) in terms.items():
            losses[f'loss_{name}'] = self.weights[name] * loss_map.mean()
            losses[f'code_corr_{name}'] = code_corr.detach().mean()
        return losses
