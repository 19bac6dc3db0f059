# "Baseline" row (k-means on frozen features), DINOv2 ViT-B/14, cityscapes27.
#   python tools/train.py configs/primaps/primaps_dinov2_vitb14_cityscapes27_baseline.py
_base_ = ['./baseline_base.py', './_base_/cityscapes27.py', '../_base_/models/backbones/dinov2_vitb14.py']
crop_size = 322  # divisible by the patch size 14
paper_results = 'baseline/dinov2_vitb14/cityscapes27'
