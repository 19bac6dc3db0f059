"""Patch-to-patch attention logits of a DINO ViT block."""
import torch

from useg.models.backbones.vit_tokens import queries_and_keys


@torch.no_grad()
def patch_attention_logits(backbone, images):
    """Pre-softmax ``q·kᵀ·head_dim^-0.5`` of the block ``backbone`` reads its features from.

    ``backbone``: a :class:`useg.models.backbones.DINOViT`; ``images (B, 3, H, W)`` normalised,
    sides multiples of the patch. Returns ``(B, heads, n, n)`` float32, patch rows and columns
    only (prefix tokens dropped), ``n = (H / p)·(W / p)``.
    """
    return features_and_attention_logits(backbone, images)[1]


@torch.no_grad()
def features_and_attention_logits(backbone, images):
    """One backbone pass -> ``(backbone.forward_features(images), patch_attention_logits)``."""
    encoder = backbone.encoder
    block = encoder.blocks[backbone.out_block]
    captured = {}

    def capture(module, args):
        captured['x'] = args[0]

    handle = block.register_forward_pre_hook(capture)
    try:
        outputs = backbone.forward_features(images)
    finally:
        handle.remove()
    queries, keys = queries_and_keys(block, captured['x'])
    prefix = encoder.num_prefix_tokens
    scores = (queries[:, :, prefix:] @ keys[:, :, prefix:].transpose(-2, -1)) * block.attn.scale
    return outputs, scores.float()
