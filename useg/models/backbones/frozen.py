"""What "frozen backbone" means in useg, shared by every backbone."""
import torch


class FrozenMixin:
    """Mix into an ``nn.Module`` with a ``frozen`` attribute.

    Frozen means: every parameter has ``requires_grad=False`` (so no optimiser picks it up),
    ``train(mode)`` leaves the module in eval mode (dropout off, BatchNorm statistics fixed), and
    forward passes run under ``torch.no_grad()`` (wrap them in :meth:`grad_context`).
    """

    def freeze(self):
        """Apply the frozen state; call at the end of ``__init__`` when ``self.frozen``."""
        for parameter in self.parameters():
            parameter.requires_grad_(False)
        self.eval()

    def train(self, mode=True):
        super().train(mode and not self.frozen)
        return self

    def grad_context(self):
        """``torch.no_grad()`` when frozen, otherwise the caller's grad mode."""
        return torch.set_grad_enabled(torch.is_grad_enabled() and not self.frozen)
