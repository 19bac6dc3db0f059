"""CAUSE's concept-wise student/teacher InfoNCE ("front-door" loss, spec section 5.4)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from useg.registry import MODELS

from .quantization import quantize


@MODELS.register_module()
class ConceptContrastiveLoss(nn.Module):
    """``loss(feats (B, N, C), student (B, N, Dp), teacher (B, N, Dp), codebook (M, C), bank=None)``.

    For every anchor image ``b``: the cosine of its student projections to all teacher projections
    of the batch, over ``temperature``; pairs whose tokens' codebook rows have cosine
    ``> pos_threshold`` are positives, ``< neg_threshold`` negatives (self pairs removed, the rest
    ignored); per pair ``-log(exp(l_ij) / sum_{k in pos or neg} exp(l_ik))``, averaged over the
    anchor image's positive pairs. With a non-empty ``bank`` (a :class:`ConceptBank` or its
    ``tensors(codebook)`` pair) the same term against the banked rows is added per image. The loss
    is the mean over all terms; an anchor image without positive pairs contributes no term (the
    reference gives NaN), and a batch without any positive pair gives a zero loss. Gradient
    reaches ``student`` only.
    """

    def __init__(self, temperature=0.07, pos_threshold=0.3, neg_threshold=0.1):
        super().__init__()
        self.temperature = temperature
        self.pos_threshold = pos_threshold
        self.neg_threshold = neg_threshold

    def pair_term(self, anchor, candidates, concept_cosine, self_pairs=None):
        """Mean NLL over the positive pairs of one anchor image, or None without positives.

        ``anchor (N, Dp)`` and ``candidates (R, Dp)`` normalised; ``concept_cosine (N, R)``;
        ``self_pairs``: first column of the anchor's own block in ``candidates``.
        """
        positive = concept_cosine > self.pos_threshold
        negative = concept_cosine < self.neg_threshold
        if self_pairs is not None:
            rows = torch.arange(anchor.shape[0], device=anchor.device)
            positive[rows, self_pairs + rows] = False
        if not positive.any():
            return None
        logits = anchor @ candidates.T / self.temperature
        logits = logits - logits.max(dim=1, keepdim=True)[0].detach()
        denominator = (logits.exp() * (positive | negative)).sum(dim=1, keepdim=True)
        return (-logits + torch.log(denominator))[positive].mean()

    def forward(self, feats, student, teacher, codebook, bank=None):
        feats, codebook = feats.detach(), codebook.detach()
        batch, num_tokens = feats.shape[:2]
        concepts = F.normalize(quantize(feats, codebook), dim=2)
        flat_concepts = concepts.reshape(batch * num_tokens, -1)
        student = F.normalize(student, dim=2)
        flat_teacher = F.normalize(teacher.detach(), dim=2).reshape(batch * num_tokens, -1)
        if bank is not None and not isinstance(bank, (tuple, list)):
            bank = bank.tensors(codebook)
        if bank is not None and len(bank[0]) == 0:
            bank = None
        terms = []
        for index in range(batch):
            terms.append(self.pair_term(student[index], flat_teacher,
                                        concepts[index] @ flat_concepts.T, index * num_tokens))
            if bank is not None:
                terms.append(self.pair_term(student[index], bank[0], concepts[index] @ bank[1].T))
        terms = [term for term in terms if term is not None]
        if not terms:
            return student.sum() * 0.0
        return sum(terms) / float(len(terms))
