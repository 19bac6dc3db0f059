# PriMaPs-EM on DINOv3 ViT-S/16, COCO-Stuff-27: a useg extension -- no paper reports this row.
# dino_vitb8_coco.py with the backbone swapped for DINOv3 ViT-S/16 (frozen; patch 16)
# and the same 320 px crops (20 x 20 tokens instead of 40 x 40 at /8).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vits16.py).
#   python tools/precompute_pseudo_labels.py configs/primaps/primaps_dinov3_vits16_coco27.py
#   python tools/train.py configs/primaps/primaps_dinov3_vits16_coco27.py
_base_ = ['./dino_vitb8_coco.py', '../_base_/models/backbones/dinov3_vits16.py']
channels = {{_base_.dinov3_vits16_channels}}
model = dict(backbone={{_base_.dinov3_vits16_backbone}}, student=dict(in_channels=channels),
             linear_probe=dict(in_channels=channels))
