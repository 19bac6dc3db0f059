# "Baseline" row (k-means on frozen features), DINO ViT-B/8, potsdam3.
#   python tools/train.py configs/primaps/primaps_dino_vitb8_potsdam3_baseline.py
_base_ = ['./baseline_base.py', './_base_/potsdam3.py', '../_base_/models/backbones/dino_vitb8.py']
crop_size = 320  # divisible by the patch size 8
paper_results = 'baseline/dino_vitb8/potsdam3'
