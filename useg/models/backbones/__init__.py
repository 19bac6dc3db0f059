"""Backbones: frozen DINO / DINOv2 ViTs and torchvision-layout ResNets."""
from .checkpoint_io import load_state_dict_strictly, read_checkpoint, resolve_checkpoint
from .dino_vision_transformer import DINOVisionTransformer
from .dino_vit import DINOViT
from .position_embedding import interpolate_patch_position_embedding
from .resnet import TorchvisionResNet
from .resnet_weights import convert_resnet_state_dict
from .vit_archs import VIT_ARCHS, PositionInterpolation, ViTArch, resolve_vit_arch
from .vit_weights import convert_vit_state_dict

__all__ = [
    'DINOViT', 'DINOVisionTransformer', 'PositionInterpolation', 'TorchvisionResNet', 'VIT_ARCHS',
    'ViTArch', 'convert_resnet_state_dict', 'convert_vit_state_dict',
    'interpolate_patch_position_embedding', 'load_state_dict_strictly', 'read_checkpoint',
    'resolve_checkpoint', 'resolve_vit_arch'
]
