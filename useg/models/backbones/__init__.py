"""Backbones: frozen DINO / DINOv2 / DINOv3 and any timm ViTs, torchvision-layout ResNets, and a
filter bank that needs no weights."""
from .checkpoint_io import load_state_dict_strictly, read_checkpoint, resolve_checkpoint
from .dino_vision_transformer import DINOVisionTransformer
from .dino_vit import DINOViT
from .filter_bank import FilterBankBackbone
from .position_embedding import interpolate_patch_position_embedding
from .resnet import TorchvisionResNet
from .resnet_weights import convert_resnet_state_dict
from .timm_vit import TimmViT
from .timm_weights import convert_timm_state_dict
from .vit_archs import VIT_ARCHS, PositionInterpolation, ViTArch, resolve_vit_arch
from .vit_backbone import ViTBackbone
from .vit_tokens import block_tokens
from .vit_weights import convert_vit_state_dict

__all__ = [
    'DINOViT', 'DINOVisionTransformer', 'FilterBankBackbone', 'PositionInterpolation', 'TimmViT',
    'TorchvisionResNet',
    'VIT_ARCHS', 'ViTArch', 'ViTBackbone', 'block_tokens', 'convert_resnet_state_dict',
    'convert_timm_state_dict', 'convert_vit_state_dict', 'interpolate_patch_position_embedding',
    'load_state_dict_strictly', 'read_checkpoint', 'resolve_checkpoint', 'resolve_vit_arch'
]
