# SmooSeg on DINOv3 ViT-B/16, Cityscapes-27: a useg extension -- no paper reports this row.
# smooseg_dino-vits8_cityscapes27.py with the backbone swapped for DINOv3 ViT-B/16
# (frozen; patch 16) and 320 px train / validation crops (20 x 20 tokens; the paper: 224 px
# at /8).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vitb16.py).
#   python tools/train.py configs/smooseg/smooseg_dinov3_vitb16_cityscapes27.py
_base_ = ['./smooseg_dino-vits8_cityscapes27.py', '../_base_/models/backbones/dinov3_vitb16.py',
          '../_base_/models/backbones/dinov3_pipelines.py']
model = dict(backbone={{_base_.dinov3_vitb16_backbone}},
             head=dict(in_channels={{_base_.dinov3_vitb16_channels}}))
train_dataloader = dict(dataset=dict(pipeline={{_base_.dinov3_pipeline}}))
val_dataloader = dict(dataset=dict(pipeline={{_base_.dinov3_pipeline}}))
