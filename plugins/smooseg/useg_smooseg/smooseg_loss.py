"""SmooSeg's energy: pairwise smoothness of soft assignments plus a teacher->student data term."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from useg.registry import MODELS

from .negative_pairing import other_image_indices

CORRELATION_EPS = 1e-10


def _normalise(tensor):
    """L2 normalisation over channels of ``(N, C, h, w)`` (reference eps 1e-10)."""
    return F.normalize(tensor, dim=1, eps=CORRELATION_EPS)


def _correlation(first, second):
    """``(N, C, h, w) x (N, C, i, j) -> (N, h, w, i, j)`` channel inner products."""
    return torch.einsum('nchw,ncij->nhwij', first, second)


def feature_correlation(feats, other_feats, pointwise=True):
    """Cosine correlation ``(N, h, w, i, j)`` of two feature maps, without gradient.

    ``pointwise`` subtracts, for every query location ``(n, h, w)``, the mean over the partner's
    locations ``(i, j)`` and then restores the global mean of the uncentred correlation.
    """
    with torch.no_grad():
        correlation = _correlation(_normalise(feats), _normalise(other_feats))
        if pointwise:
            global_mean = correlation.mean()
            correlation = correlation - correlation.mean([3, 4], keepdim=True)
            correlation = correlation - correlation.mean() + global_mean
    return correlation


def assignment_dissimilarity(probs, other_probs):
    """``1 - cos`` ``(N, h, w, i, j)`` between soft assignments ``(N, K, h, w)``; in ``[0, 1]``."""
    return 1 - _correlation(_normalise(probs), _normalise(other_probs))


@MODELS.register_module()
class SmooSegLoss(nn.Module):
    """SmooSeg's energy terms (Lan et al., NeurIPS 2023), full token grid, no sub-sampling.

    Smoothness (pairwise) term, for a pair of maps with shift ``b``::

        mean[(F - b) * (1 - cos(p1, p2))]

    with ``F`` the (pointwise-centred) feature correlation and ``p`` the soft assignments
    ``softmax(teacher cosines / temperature)``; applied to each image with itself
    (``pos_intra_shift``) and against one random other image of the batch (``neg_inter_shift``).
    Data (unary) term: cross-entropy of the student's raw cosines (the logits, no temperature)
    against the teacher's argmax.

    Args:
        pos_intra_shift (float): shift ``b`` of the image-with-itself term.
        neg_inter_shift (float): shift ``b`` of the image-with-other-image term.
        pointwise (bool): centre the feature correlation per query location.
        temperature (float): softmax temperature of the soft assignments.
    """

    def __init__(self, pos_intra_shift, neg_inter_shift, pointwise=True, temperature=0.1):
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be positive, got {temperature}')
        self.pos_intra_shift = float(pos_intra_shift)
        self.neg_inter_shift = float(neg_inter_shift)
        self.pointwise = bool(pointwise)
        self.temperature = float(temperature)

    def soft_assignments(self, teacher_cosine):
        """``(B, K, h, w)`` teacher cosines -> ``softmax(cos / temperature)`` over ``K``."""
        return torch.softmax(teacher_cosine / self.temperature, dim=1)

    def pair_term(self, feats, other_feats, probs, other_probs, shift):
        """Mean smoothness energy of one pairing and the mean dissimilarity ``1 - cos``."""
        correlation = feature_correlation(feats, other_feats, self.pointwise)
        dissimilarity = assignment_dissimilarity(probs, other_probs)
        return ((correlation - shift) * dissimilarity).mean(), dissimilarity.mean()

    def forward(self, feats, code_probs, perm=None):
        """Smoothness energy of a batch.

        Args:
            feats (Tensor): ``(B, C, h, w)`` backbone features (SmooSeg's dropped-out "signal").
            code_probs (Tensor): ``(B, K, h, w)`` soft assignments (see :meth:`soft_assignments`).
            perm (Tensor, optional): ``(B,)`` long index of each image's negative partner;
                drawn with :func:`other_image_indices` from the global RNG when None.

        Returns:
            dict: ``smooth_loss`` (= ``pos_intra_loss + neg_inter_loss``), ``pos_intra_loss``,
            ``neg_inter_loss`` and the mean dissimilarities ``pos_intra_cd``, ``neg_inter_cd``.
        """
        self._check_inputs(feats, code_probs)
        if perm is None:
            perm = other_image_indices(feats.shape[0], feats.device)
        else:
            perm = self._checked_perm(perm, feats.shape[0], feats.device)
        pos_intra_loss, pos_intra_cd = self.pair_term(feats, feats, code_probs, code_probs,
                                                      self.pos_intra_shift)
        neg_inter_loss, neg_inter_cd = self.pair_term(feats, feats[perm], code_probs,
                                                      code_probs[perm], self.neg_inter_shift)
        return dict(smooth_loss=pos_intra_loss + neg_inter_loss,
                    pos_intra_loss=pos_intra_loss, neg_inter_loss=neg_inter_loss,
                    pos_intra_cd=pos_intra_cd, neg_inter_cd=neg_inter_cd)

    def data_loss(self, student_cosine, teacher_cosine):
        """Mean cross-entropy of ``(B, K, h, w)`` student cosines against the teacher's argmax."""
        if student_cosine.dim() != 4 or student_cosine.shape != teacher_cosine.shape:
            raise ValueError('student_cosine and teacher_cosine must both be (B, K, h, w) with the '
                             f'same shape, got {tuple(student_cosine.shape)} and '
                             f'{tuple(teacher_cosine.shape)}')
        num_clusters = student_cosine.shape[1]
        target = teacher_cosine.argmax(dim=1)
        logits = student_cosine.permute(0, 2, 3, 1).reshape(-1, num_clusters)
        return F.cross_entropy(logits, target.reshape(-1))

    @staticmethod
    def _check_inputs(feats, code_probs):
        if feats.dim() != 4 or code_probs.dim() != 4:
            raise ValueError('feats and code_probs must be (B, C, h, w) and (B, K, h, w), got '
                             f'{tuple(feats.shape)} and {tuple(code_probs.shape)}')
        if feats.shape[0] != code_probs.shape[0] or feats.shape[2:] != code_probs.shape[2:]:
            raise ValueError('feats and code_probs must share batch size and grid (h, w), got '
                             f'{tuple(feats.shape)} and {tuple(code_probs.shape)}')

    @staticmethod
    def _checked_perm(perm, batch_size, device):
        perm = torch.as_tensor(perm, device=device)
        if perm.shape != (batch_size,) or perm.dtype not in (torch.int32, torch.int64):
            raise ValueError(f'perm must be an integer tensor of shape ({batch_size},), got '
                             f'{perm.dtype} {tuple(perm.shape)}')
        if bool(((perm < 0) | (perm >= batch_size)).any()):
            raise ValueError(f'perm values must lie in [0, {batch_size}), got {perm.tolist()}')
        return perm.long()
