"""Key conversion from published DINO / DINOv2 / timm ViT weight files to
:class:`DINOVisionTransformer` (timm) names.

Handled layouts:
  * DINO ``dino_*_pretrain.pth``: already timm names.
  * DINO full training checkpoints: ``teacher`` -> ``backbone.*`` (the DINO head is dropped).
  * DINOv2 ``dinov2_*_pretrain.pth``: drops ``mask_token`` (only used for masked training);
    with registers, ``register_tokens`` -> ``reg_token`` and the class token's position embedding
    is folded into ``cls_token`` (the tokens are then identical to DINOv2's).
  * timm / Hugging Face ``model.safetensors``, and useg's own checkpoints (``state_dict`` with
    ``backbone.encoder.*`` or ``encoder.*`` keys, e.g. from tools/convert_weights.py).
Anything else stays as it is, so the strict load reports it.
"""
from .checkpoint_io import select_submodule, unwrap_state_dict

CONTAINERS = ('teacher', 'state_dict', 'model')
DINOV2_TRAINING_ONLY = ('mask_token', )


def convert_vit_state_dict(checkpoint):
    """Checkpoint dict as read from disk -> ``{timm key: tensor}``."""
    state = unwrap_state_dict(checkpoint, CONTAINERS)
    state = select_submodule(state, 'backbone.')
    state = select_submodule(state, 'encoder.')
    state = {key: value for key, value in state.items() if key not in DINOV2_TRAINING_ONLY}
    if 'register_tokens' in state:
        state['reg_token'] = state.pop('register_tokens')
        pos_embed = state['pos_embed']
        state['cls_token'] = state['cls_token'] + pos_embed[:, :1]
        state['pos_embed'] = pos_embed[:, 1:]
    return state

