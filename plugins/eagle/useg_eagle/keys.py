"""EAGLE's input features (attention keys of several ViT blocks) and reference checkpoint keys."""
import torch

from useg.models.backbones.vit_tokens import block_tokens, queries_and_keys


def multilevel_keys(backbone, images, blocks=(-3, -2, -1)):
    """Attention keys of the patch tokens of several blocks, concatenated along channels.

    Args:
        backbone: a useg ViT backbone (``DINOViT``, ``TimmViT``: ``backbone.encoder`` is the timm ViT).
        images: normalised ``(B, 3, H, W)``.
        blocks: block indices (negative count from the end), in output order.

    Returns:
        ``(B, len(blocks) * C, h, w)``: per block the keys of its LayerNorm'd input (bias included,
        prefix tokens dropped), heads concatenated head-major (channel ``head * d + j``).
        One backbone pass (through ``backbone(images)``; run again block by block only when that
        call did not reach every listed block), no gradient.
    """
    encoder = backbone.encoder
    indices = [range(len(encoder.blocks))[block] for block in blocks]
    inputs = {}
    hooks = [encoder.blocks[index].register_forward_pre_hook(
        lambda module, args, index=index: inputs.__setitem__(index, args[0]))
        for index in set(indices)]
    try:
        with torch.no_grad():
            backbone(images)  # the backbone's own call: its hooks see one pass per view
            if not set(indices) <= set(inputs):  # a memoised call, or out_block before a block
                block_tokens(encoder, images, max(indices))
            batch = images.shape[0]
            height, width = (side // backbone.patch_size for side in images.shape[-2:])
            prefix = encoder.num_prefix_tokens
            levels = []
            for index in indices:
                keys = queries_and_keys(encoder.blocks[index], inputs[index])[1]
                levels.append(keys[:, :, prefix:].permute(0, 1, 3, 2).reshape(batch, -1, height, width))
    finally:
        for hook in hooks:
            hook.remove()
    return torch.cat(levels, dim=1)


_RENAMES = (('net.cluster1.0.', 'head.linear.'), ('net.cluster2.0.', 'head.nonlinear.0.'),
            ('net.cluster2.2.', 'head.nonlinear.2.'), ('project_head.', 'projector.'),
            ('linear_probe.', 'linear_probe.conv.'))
_EXACT = {'cluster_probe.clusters': 'cluster_probe.clusters',
          'train_cluster_probe_eigen.clusters': 'eigen_probe.clusters',
          'train_cluster_probe_eigen_aug.clusters': 'eigen_probe_aug.clusters'}


def convert_reference_state_dict(state_dict):
    """Map a reference (MICV-yonsei/EAGLE Lightning) state dict to :class:`EAGLESegmentor` keys.

    Backbone, decoder, unused probes and centroids are dropped (load with ``strict=False``).
    """
    converted = {}
    for key, value in state_dict.items():
        if key in _EXACT:
            converted[_EXACT[key]] = value
            continue
        for old, new in _RENAMES:
            if key.startswith(old) and (old != 'linear_probe.' or key in ('linear_probe.weight',
                                                                         'linear_probe.bias')):
                converted[new + key[len(old):]] = value
                break
    return converted
