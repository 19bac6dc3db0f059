# SmooSeg on DINOv3 ViT-B/16, Cityscapes-27: a useg extension -- no paper reports this row.
# smooseg_dino-vits8_cityscapes27.py with the backbone swapped for DINOv3 ViT-B/16
# (frozen; patch 16) and 320 px train / validation crops (20 x 20 tokens; the paper: 224 px
# at /8).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vitb16.py).
#   python tools/train.py configs/smooseg/smooseg_dinov3_vitb16_cityscapes27.py
_base_ = ['./smooseg_dino-vits8_cityscapes27.py', '../_base_/models/backbones/dinov3_vitb16.py']
crop = 320  # multiple of 16
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
]
model = dict(backbone={{_base_.dinov3_vitb16_backbone}},
             head=dict(in_channels={{_base_.dinov3_vitb16_channels}}))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
