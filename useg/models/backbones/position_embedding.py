"""Position-embedding resizing as the DINO and DINOv2 releases do it.

DINO and DINOv2 (without registers) resize the pre-training grid bicubically with
``scale_factor = (n_new + 0.1) / n_old`` per axis, no antialiasing. Because PyTorch maps output
pixel ``i`` to input coordinate ``(i + 0.5) / scale - 0.5``, this is *not* the same as resizing to
``n_new`` exactly, which is what timm's ``resample_abs_pos_embed`` does (with antialias on).
DINOv2 with registers resizes to the exact size, antialiased.
"""
import torch.nn.functional as F


def interpolate_patch_position_embedding(patch_pos_embed, old_grid, new_grid, interpolation):
    """Resize patch position embeddings from one token grid to another.

    Args:
        patch_pos_embed: ``(1, gh * gw, C)`` embeddings of the patch tokens only.
        old_grid: ``(gh, gw)`` grid they were trained on.
        new_grid: ``(h, w)`` token grid of the current input.
        interpolation: :class:`~useg.models.backbones.vit_archs.PositionInterpolation`.

    Returns:
        ``(1, h * w, C)`` in the dtype of ``patch_pos_embed`` (computed in float32).
    """
    old_h, old_w = old_grid
    new_h, new_w = new_grid
    if (old_h, old_w) == (new_h, new_w):
        return patch_pos_embed
    channels = patch_pos_embed.shape[-1]
    grid = patch_pos_embed.float().reshape(1, old_h, old_w, channels).permute(0, 3, 1, 2)
    if interpolation.offset:
        size_kwargs = dict(scale_factor=((new_h + interpolation.offset) / old_h,
                                         (new_w + interpolation.offset) / old_w))
    else:
        size_kwargs = dict(size=(new_h, new_w))
    grid = F.interpolate(grid, mode='bicubic', align_corners=False,
                         antialias=interpolation.antialias, **size_kwargs)
    if tuple(grid.shape[-2:]) != (new_h, new_w):
        raise RuntimeError(f'position-embedding grid resized to {tuple(grid.shape[-2:])}, '
                           f'expected {(new_h, new_w)}')
    return grid.permute(0, 2, 3, 1).reshape(1, new_h * new_w, channels).to(patch_pos_embed.dtype)
