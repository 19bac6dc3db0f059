"""SegSort+ pixel-to-segment contrastive loss (HSG section 6)."""
import torch
from torch import nn

from useg.registry import MODELS


def _check_ids(name, ids, length):
    if ids.dim() != 1 or ids.shape[0] != length:
        raise ValueError(f'{name} must have shape ({length},), got {tuple(ids.shape)}')
    if ids.dtype.is_floating_point:
        raise TypeError(f'{name} must hold integer ids, got {ids.dtype}')


@MODELS.register_module()
class SegSortLoss(nn.Module):
    """Mean negative log-likelihood of every pixel under the vMF mixture of segment prototypes.

    For pixel ``p`` of segment ``s(p)`` in group ``g(p)``, with ``a_j = exp(kappa * e_p . mu_j)``::

        P = sum_{j != s(p), g_j = g(p)} a_j
        N = P if P > 0 else a_{s(p)}
        loss_p = -log(N / (N + sum_{g_j != g(p)} a_j))

    Without group ids every segment is its own group (plain SegSort). ``exp`` is taken without
    max-subtraction, as in the reference: inputs must be unit vectors and float32 or wider.

    Args:
        concentration (float): ``kappa``, the inverse temperature (HSG: 16).
    """

    def __init__(self, concentration=16.0):
        super().__init__()
        if concentration <= 0:
            raise ValueError(f'concentration must be positive, got {concentration}')
        self.concentration = float(concentration)

    def forward(self, embeddings, segment_ids, prototypes, prototype_segment_ids,
                group_ids=None, prototype_group_ids=None):
        return self.loss(embeddings, segment_ids, prototypes, prototype_segment_ids,
                         group_ids, prototype_group_ids)

    @staticmethod
    def _prototype_index(segment_ids, prototype_segment_ids):
        """Row of ``prototypes`` holding each pixel's own segment ``(N,)``."""
        if prototype_segment_ids.numel() == 0:
            raise ValueError('no prototypes given')
        segment_ids = segment_ids.long()
        sorted_ids, order = torch.sort(prototype_segment_ids.long())
        if bool((sorted_ids[1:] == sorted_ids[:-1]).any()):
            raise ValueError('prototype_segment_ids must be unique')
        position = torch.searchsorted(sorted_ids, segment_ids).clamp(max=sorted_ids.numel() - 1)
        missing = sorted_ids[position] != segment_ids
        if bool(missing.any()):
            raise ValueError(f'{int(missing.sum())} pixels have a segment id without a prototype, '
                             f'e.g. {int(segment_ids[missing][0])}')
        return order[position]

    def pixel_nll(self, embeddings, segment_ids, prototypes, prototype_segment_ids,
                  group_ids=None, prototype_group_ids=None):
        """Per-pixel NLL ``(N,)``; the arguments are those of :meth:`loss`."""
        if embeddings.dim() != 2 or prototypes.dim() != 2 or \
                embeddings.shape[1] != prototypes.shape[1]:
            raise ValueError('embeddings (N, D) and prototypes (S, D) must share D, got '
                             f'{tuple(embeddings.shape)} and {tuple(prototypes.shape)}')
        num_pixels, num_segments = embeddings.shape[0], prototypes.shape[0]
        _check_ids('segment_ids', segment_ids, num_pixels)
        _check_ids('prototype_segment_ids', prototype_segment_ids, num_segments)
        if (group_ids is None) != (prototype_group_ids is None):
            raise ValueError('group_ids and prototype_group_ids must be given together')
        own_index = self._prototype_index(segment_ids, prototype_segment_ids)
        if group_ids is None:
            group_ids, prototype_group_ids = segment_ids, prototype_segment_ids
        else:
            _check_ids('group_ids', group_ids, num_pixels)
            _check_ids('prototype_group_ids', prototype_group_ids, num_segments)

        similarities = torch.mm(embeddings, prototypes.t()).mul(self.concentration).exp()
        own = torch.gather(similarities, 1, own_index.view(-1, 1))
        same_group = group_ids.view(-1, 1) == prototype_group_ids.view(1, -1)
        positives = torch.sum(similarities * same_group.float(), 1, keepdim=True) - own
        numerator = torch.where(positives > 0, positives, own)
        negatives = torch.sum(similarities * (~same_group).float(), 1, keepdim=True)
        return (numerator / (negatives + numerator)).log().mul(-1).view(-1)

    def loss(self, embeddings, segment_ids, prototypes, prototype_segment_ids,
             group_ids=None, prototype_group_ids=None):
        """Mean pixel-to-segment NLL (a scalar).

        Args:
            embeddings (Tensor): unit pixel embeddings ``(N, D)``.
            segment_ids (Tensor): segment id of every pixel ``(N,)``.
            prototypes (Tensor): unit segment prototypes ``(S, D)``.
            prototype_segment_ids (Tensor): id of every prototype ``(S,)`` (unique).
            group_ids (Tensor, optional): group of every pixel ``(N,)``.
            prototype_group_ids (Tensor, optional): group of every prototype ``(S,)``.
        """
        return self.pixel_nll(embeddings, segment_ids, prototypes, prototype_segment_ids,
                              group_ids, prototype_group_ids).mean()
