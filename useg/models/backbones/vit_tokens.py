"""Running a timm ViT (``VisionTransformer`` or ``Eva``, e.g. DINOv3) block by block: the tokens
of any block, and that block's CLS-query attention and keys."""
import torch
import torch.nn.functional as F
from timm.layers import apply_rot_embed_cat
from timm.models.eva import Eva


def check_input_size(images, patch_size):
    """Raise ``ValueError`` unless ``images (B, 3, H, W)`` has sides divisible by ``patch_size``."""
    if images.dim() != 4:
        raise ValueError(f'expected images (B, C, H, W), got shape {tuple(images.shape)}')
    height, width = images.shape[-2:]
    if height % patch_size or width % patch_size:
        raise ValueError(f'input size {height}x{width} is not a multiple of the patch size '
                         f'{patch_size}; resize or crop to e.g. '
                         f'{height // patch_size * patch_size}x{width // patch_size * patch_size}')


def block_tokens(model, images, block_index, return_attention=False, return_keys=False):
    """Run a timm ``VisionTransformer`` / ``Eva`` up to and including block ``block_index``.

    Args:
        model: the timm model (``dynamic_img_size=True`` for inputs other than its ``img_size``).
        images: ``(B, 3, H, W)``, sides multiples of the patch size.
        block_index: index into ``model.blocks`` (negative counts from the end).

    Returns:
        dict with ``tokens (B, T, C)`` (the block's output, before the final norm) and, when
        asked, ``attention (B, heads, T)`` (that block's CLS-query attention over all tokens,
        softmaxed, with RoPE where the model has it) and ``keys (B, heads, T, head_dim)`` (that
        block's keys after the q/k norm, before any RoPE rotation).
    """
    check_input_size(images, model.patch_embed.patch_size[0])
    num_blocks = range(len(model.blocks))[block_index] + 1
    x = model.patch_embed(images)
    if isinstance(model, Eva):
        x, rope = model._pos_embed(x)
        x = model.norm_pre(x)
        ropes = rope if getattr(model, 'rope_mixed', False) else [rope] * num_blocks
    else:
        x = model.norm_pre(model.patch_drop(model._pos_embed(x)))
        ropes = [None] * num_blocks
    for block, rope in zip(model.blocks[:num_blocks - 1], ropes):
        x = block(x, rope=rope) if rope is not None else block(x)
    last, rope = model.blocks[num_blocks - 1], ropes[num_blocks - 1]
    outputs = {}
    if return_attention or return_keys:
        queries, keys = queries_and_keys(last, x)
        if return_attention:
            rotated = keys if rope is None else apply_rope(keys, rope, last.attn)
            scores = (queries[:, :, :1] @ rotated.transpose(-2, -1)) * last.attn.scale
            outputs['attention'] = scores.float().softmax(dim=-1)[:, :, 0]
        if return_keys:
            outputs['keys'] = keys
    outputs['tokens'] = last(x, rope=rope) if rope is not None else last(x)
    return outputs


def queries_and_keys(block, x):
    """Block input ``(B, T, C)`` -> queries and keys, each ``(B, heads, T, head_dim)``, as the
    block's attention computes them (fused or separate projections, q/k biases, q/k norms)."""
    attn = block.attn
    batch, num_tokens, _ = x.shape
    x = block.norm1(x)
    if getattr(attn, 'qkv', None) is None:  # Eva with separate q / k / v projections
        queries, keys = (
            projection(x).reshape(batch, num_tokens, attn.num_heads, -1).transpose(1, 2)
            for projection in (attn.q_proj, attn.k_proj))
    else:
        bias = attn.qkv.bias
        if getattr(attn, 'q_bias', None) is not None:  # Eva: q / v biases, fixed zero k bias
            bias = torch.cat((attn.q_bias, attn.k_bias, attn.v_bias))
        qkv = F.linear(x, attn.qkv.weight, bias)
        qkv = qkv.reshape(batch, num_tokens, 3, attn.num_heads, -1).permute(2, 0, 3, 1, 4)
        queries, keys, _ = qkv.unbind(0)
    return attn.q_norm(queries), attn.k_norm(keys)


def apply_rope(tokens, rope, attn):
    """Rotate the patch tokens of ``tokens (B, heads, T, head_dim)`` as ``Eva``'s attention does
    (prefix tokens are not rotated)."""
    prefix = attn.num_prefix_tokens
    rotated = apply_rot_embed_cat(tokens[:, :, prefix:], rope, half=attn.rotate_half)
    return torch.cat([tokens[:, :, :prefix], rotated.type_as(tokens)], dim=2)
