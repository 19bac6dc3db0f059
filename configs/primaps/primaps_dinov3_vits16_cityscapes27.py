# PriMaPs-EM on DINOv3 ViT-S/16, Cityscapes-27: a useg extension -- no paper reports this row.
# PriMaPs-EM's Cityscapes-27 setting with the frozen DINOv3 ViT-S/16 at the same 320 px crops as the
# /8 rows (20 x 20 tokens instead of 40 x 40).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vits16.py).
#   python tools/precompute.py configs/primaps/primaps_dinov3_vits16_cityscapes27.py
#   python tools/train.py configs/primaps/primaps_dinov3_vits16_cityscapes27.py
_base_ = ['./primaps_em_base.py', './_base_/cityscapes27.py', '../_base_/models/backbones/dinov3_vits16.py']
crop_size = 320  # a multiple of the patch size 16
