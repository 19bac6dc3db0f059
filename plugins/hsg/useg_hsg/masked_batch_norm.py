"""BatchNorm over the channels of token sequences whose statistics ignore padded tokens."""
import torch
from torch import nn


class MaskedBatchNorm1d(nn.Module):
    """``BatchNorm1d`` on ``(L, B, C)`` token tensors, statistics over valid tokens only.

    The reference normalises over all ``L * B`` tokens, padding included, so its outputs depend on
    the pad count; here padded tokens neither enter the statistics nor receive a value (they are 0).
    The wrapped module is a plain ``nn.BatchNorm1d`` (so ``SyncBatchNorm`` conversion still works).
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.norm = nn.BatchNorm1d(num_features, eps=eps, momentum=momentum)

    def forward(self, x, valid=None):
        """Normalise ``x`` ``(L, B, C)``; ``valid`` bool ``(L, B)`` (None: every token is valid)."""
        if valid is None:
            return self.norm(x.reshape(-1, x.shape[-1])).view_as(x)
        out = torch.zeros_like(x)
        out[valid] = self.norm(x[valid])
        return out
