"""Count (and optionally interrupt) the tiny ViT's forward passes in a test."""
from useg.models.backbones import DINOViT


def counting_forward(monkeypatch, fail_after=None):
    """Patch ``DINOViT.forward``; returns the list of batch sizes it saw. With ``fail_after``, the
    call after that many raises ``KeyboardInterrupt`` (a killed run)."""
    calls = []
    forward = DINOViT.forward

    def counted(self, inputs):
        if fail_after is not None and len(calls) >= fail_after:
            raise KeyboardInterrupt('killed')
        calls.append(len(inputs))
        return forward(self, inputs)

    monkeypatch.setattr(DINOViT, 'forward', counted)
    return calls
