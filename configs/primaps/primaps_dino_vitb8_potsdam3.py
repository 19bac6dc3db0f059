# PriMaPs-EM, DINO ViT-B/8, potsdam3 (paper table: "+PriMaPs" row).
#   python tools/precompute.py configs/primaps/primaps_dino_vitb8_potsdam3.py
#   python tools/train.py configs/primaps/primaps_dino_vitb8_potsdam3.py
#   python tools/test.py configs/primaps/primaps_dino_vitb8_potsdam3.py CHECKPOINT
_base_ = ['./primaps_em_base.py', './_base_/potsdam3.py', '../_base_/models/backbones/dino_vitb8.py']
crop_size = 320  # divisible by the patch size 8
paper_results = 'primaps-em/dino_vitb8/potsdam3'
