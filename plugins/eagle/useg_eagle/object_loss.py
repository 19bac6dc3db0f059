"""EAGLE's object-level contrastive loss: tokens against the medoids of their EiCue objects."""
import torch
import torch.nn.functional as F
from torch import nn

from useg.registry import MODELS


def token_weights(keys):
    """Per-token weights ``(B * h * w,)`` from signal keys ``(B, C, h, w)``.

    ``G = K^T K (B, n, n)``, each column L2-normalised, mean over the last axis, b-major.
    """
    tokens = keys.flatten(2)
    gram = F.normalize(tokens.transpose(1, 2) @ tokens, dim=1)
    return gram.mean(-1).reshape(-1)


def medoids(z, labels):
    """``z (N, D)``, ``labels (N,)`` -> ``(centroids (U, D), targets (N,))``: per present label
    (ascending) the row of ``z`` minimising the summed distances to its label's rows (first on
    ties), and each token's label position."""
    present, targets = torch.unique(labels, return_inverse=True)
    centroids = []
    for label in present:
        rows = z[labels == label]
        centroids.append(rows[torch.cdist(rows, rows).sum(1).argmin()])
    return torch.stack(centroids), targets


@MODELS.register_module()
class ObjectContrastiveLoss(nn.Module):
    """Cross-entropy of tokens against object medoids, within the view (local) and across (global).

    Args:
        temperature (float): T of the logits ``z . centroids^T / T``.
        global_weight (float): g in ``((1 - g) L_local + g L_global) / 2``.
        label_smoothing (float): 0: per-token weighted CE; > 0: label-smoothed CE (``1 - eps`` on the
            target, ``eps / (U - 1)`` on each other present label) times the mean weight.
    """

    def __init__(self, temperature=0.07, global_weight=0.7, label_smoothing=0.0):
        super().__init__()
        self.temperature = float(temperature)
        self.global_weight = float(global_weight)
        self.label_smoothing = float(label_smoothing)

    def _cross_entropy(self, logits, targets, weights):
        if self.label_smoothing == 0:
            return (weights * F.cross_entropy(logits, targets, reduction='none')).mean()
        num_labels = logits.shape[1]
        smooth = self.label_smoothing / max(num_labels - 1, 1)
        distribution = torch.full_like(logits, smooth).scatter_(
            1, targets[:, None], 1 - self.label_smoothing)
        loss = -(distribution * torch.log_softmax(logits, dim=1)).sum(1).mean()
        return loss * weights.mean()

    def forward(self, z, z_other, labels, weights):
        """``z, z_other (N, D)`` (normalised projections of the anchor and the other view),
        ``labels (N,)`` long, ``weights (N,)`` -> scalar loss."""
        centroids, targets = medoids(z, labels)
        local = z @ centroids.t() / self.temperature
        cross = z_other @ centroids.t() / self.temperature
        loss_local = self._cross_entropy(local, targets, weights)
        loss_global = self._cross_entropy(cross, targets, weights)
        return ((1 - self.global_weight) * loss_local + self.global_weight * loss_global) / 2
