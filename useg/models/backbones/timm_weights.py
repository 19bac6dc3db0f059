"""Key conversion from published weight files to a timm model built by ``timm.create_model``
(DINOv3 and any other timm ViT / Eva), reusing the model family's own timm converter.

Handled layouts:
  * timm / Hugging Face ``model.safetensors`` (already timm names);
  * official DINOv3 ``dinov3_*_pretrain_lvd1689m-*.pth`` (``storage_tokens`` -> ``reg_token``,
    ``ls1/ls2.gamma`` -> ``gamma_1/2``, ``qkv.bias`` -> ``q_bias`` / ``v_bias`` (the K bias is
    masked to zero in DINOv3), SwiGLU ``w1/w2/w3`` -> ``fc1_g/fc1_x/fc2``; ``mask_token``, RoPE
    ``periods`` and ``bias_mask`` dropped), by timm's ``eva.checkpoint_filter_fn``;
  * every layout the model family's ``checkpoint_filter_fn`` knows (e.g. official DINOv2, MAE);
  * training checkpoints (``teacher`` / ``model`` / ``state_dict`` containers, ``backbone.``,
    ``encoder.`` and ``module.`` prefixes) and useg's own checkpoints.
Anything else stays as it is, so the strict load reports it.
"""
import sys

from .checkpoint_io import select_submodule, unwrap_state_dict

CONTAINERS = ('teacher', 'model_ema', 'state_dict', 'model')
DINOV3_MARKER = 'storage_tokens'


def convert_timm_state_dict(checkpoint, model):
    """Checkpoint dict as read from disk -> ``{key of model.state_dict(): tensor}``.

    Raises:
        ValueError: an official DINOv3 file with non-zero q / v biases loaded into a model
            without them (use timm's ``*_qkvb`` variant), listing the keys.
    """
    state = unwrap_state_dict(checkpoint, CONTAINERS)
    state = select_submodule(state, 'backbone.')
    state = select_submodule(state, 'encoder.')
    if DINOV3_MARKER in state:
        check_dinov3_qkv_bias(state, model)
    filter_fn = getattr(sys.modules[type(model).__module__], 'checkpoint_filter_fn', None)
    return dict(filter_fn(state, model)) if filter_fn is not None else state


def check_dinov3_qkv_bias(state, model):
    """timm drops DINOv3's ``qkv.bias`` when the model has no q / v bias; refuse to lose a
    non-zero one (only the K third is masked in DINOv3, so Q and V thirds must be zero)."""
    has_bias = any(name.endswith('attn.q_bias') for name, _ in model.named_parameters())
    if has_bias:
        return
    lost = sorted(key for key, value in state.items() if key.endswith('attn.qkv.bias')
                  and any(part.abs().max() > 0 for part in value.chunk(3)[::2]))
    if lost:
        raise ValueError(f'the checkpoint has non-zero q / v biases ({len(lost)}: '
                         f'{", ".join(lost[:4])}, ...) but the model has none: use the timm '
                         f"'*_qkvb' variant of this model (e.g. arch dict(timm_model="
                         f"'vit_base_patch16_dinov3_qkvb'))")

