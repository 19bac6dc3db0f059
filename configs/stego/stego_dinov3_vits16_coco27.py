# STEGO on DINOv3 ViT-S/16, COCO-Stuff-27: a useg extension -- no paper reports this row.
# stego_dino_vitb8_cocostuff27.py with the backbone swapped for DINOv3 ViT-S/16 (frozen; patch 16)
# and 320 px train crops (20 x 20 tokens; the paper: 224 px at /8, 28 x 28).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vits16.py).
#   python tools/precompute_knn.py configs/stego/stego_dinov3_vits16_coco27.py
#   python tools/train.py configs/stego/stego_dinov3_vits16_coco27.py
_base_ = ['./stego_dino_vitb8_cocostuff27.py', '../_base_/models/backbones/dinov3_vits16.py',
          '../_base_/models/backbones/dinov3_pipelines.py']
backbone = {{_base_.dinov3_vits16_backbone}}
model = dict(backbone=backbone, head=dict(in_channels={{_base_.dinov3_vits16_channels}}))
train_dataloader = dict(dataset=dict(knn=dict(backbone=backbone),
                                     dataset=dict(pipeline={{_base_.dinov3_pipeline}})))
