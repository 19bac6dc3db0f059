# "Baseline" row (k-means on frozen features), DINO ViT-S/8, cityscapes27.
#   python tools/train.py configs/primaps/primaps_dino_vits8_cityscapes27_baseline.py
_base_ = ['./baseline_base.py', './_base_/cityscapes27.py', '../_base_/models/backbones/dino_vits8.py']
crop_size = 320  # divisible by the patch size 8
paper_results = 'baseline/dino_vits8/cityscapes27'
