# PriMaPs-EM, DINOv2 ViT-S/14, cityscapes27 (paper table: "+PriMaPs" row).
#   python tools/precompute.py configs/primaps/primaps_dinov2_vits14_cityscapes27.py
#   python tools/train.py configs/primaps/primaps_dinov2_vits14_cityscapes27.py
#   python tools/test.py configs/primaps/primaps_dinov2_vits14_cityscapes27.py CHECKPOINT
_base_ = ['./primaps_em_base.py', './_base_/cityscapes27.py', '../_base_/models/backbones/dinov2_vits14.py']
crop_size = 322  # divisible by the patch size 14
paper_results = 'primaps-em/dinov2_vits14/cityscapes27'
