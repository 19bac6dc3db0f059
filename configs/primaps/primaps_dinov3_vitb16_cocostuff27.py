# PriMaPs-EM on DINOv3 ViT-B/16, COCO-Stuff-27: a useg extension -- no paper reports this row.
# PriMaPs-EM's COCO-Stuff-27 setting with the frozen DINOv3 ViT-B/16 at the same 320 px crops as the
# /8 rows (20 x 20 tokens instead of 40 x 40).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vitb16.py).
#   python tools/precompute.py configs/primaps/primaps_dinov3_vitb16_cocostuff27.py
#   python tools/train.py configs/primaps/primaps_dinov3_vitb16_cocostuff27.py
_base_ = ['./primaps_em_base.py', './_base_/cocostuff27.py', '../_base_/models/backbones/dinov3_vitb16.py']
crop_size = 320  # a multiple of the patch size 16
