# PriMaPs-EM, DINOv2 ViT-B/14, cocostuff27 (paper table: "+PriMaPs" row).
#   python tools/precompute.py configs/primaps/primaps_dinov2_vitb14_cocostuff27.py
#   python tools/train.py configs/primaps/primaps_dinov2_vitb14_cocostuff27.py
#   python tools/test.py configs/primaps/primaps_dinov2_vitb14_cocostuff27.py CHECKPOINT
_base_ = ['./primaps_em_base.py', './_base_/cocostuff27.py', '../_base_/models/backbones/dinov2_vitb14.py']
crop_size = 322  # divisible by the patch size 14
paper_results = 'primaps-em/dinov2_vitb14/cocostuff27'
