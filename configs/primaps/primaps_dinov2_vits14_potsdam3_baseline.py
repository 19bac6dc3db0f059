# "Baseline" row (k-means on frozen features), DINOv2 ViT-S/14, potsdam3.
#   python tools/train.py configs/primaps/primaps_dinov2_vits14_potsdam3_baseline.py
_base_ = ['./baseline_base.py', './_base_/potsdam3.py', '../_base_/models/backbones/dinov2_vits14.py']
crop_size = 322  # divisible by the patch size 14
paper_results = 'baseline/dinov2_vits14/potsdam3'
