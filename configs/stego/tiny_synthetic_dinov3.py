# STEGO on the generated synthetic scenes with a random-weight tiny DINOv3-style ViT (timm Eva:
# RoPE, class token + 4 registers, patch 16; 48 channels like vit_tiny_p8): the end-to-end smoke
# test of the DINOv3 path (useg extension: no paper row).
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/precompute.py configs/stego/tiny_synthetic_dinov3.py
#   python tools/train.py configs/stego/tiny_synthetic_dinov3.py
_base_ = ['./tiny_synthetic.py']
# model.backbone and the KNN table's backbone read this '${backbone}' variable
backbone = dict(_delete_=True, type='DINOViT', arch='vit_tiny_dinov3', init_cfg=None)  # random
