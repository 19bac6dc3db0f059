# "Baseline" row (k-means on frozen features), DINO ViT-S/8, potsdam3.
#   python tools/train.py configs/primaps/primaps_dino_vits8_potsdam3_baseline.py
_base_ = ['./baseline_base.py', './_base_/potsdam3.py', '../_base_/models/backbones/dino_vits8.py']
crop_size = 320  # divisible by the patch size 8
paper_results = 'baseline/dino_vits8/potsdam3'
