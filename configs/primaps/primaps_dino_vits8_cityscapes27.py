# PriMaPs-EM, DINO ViT-S/8, cityscapes27 (paper table: "+PriMaPs" row).
#   python tools/precompute.py configs/primaps/primaps_dino_vits8_cityscapes27.py
#   python tools/train.py configs/primaps/primaps_dino_vits8_cityscapes27.py
#   python tools/test.py configs/primaps/primaps_dino_vits8_cityscapes27.py CHECKPOINT
_base_ = ['./primaps_em_base.py', './_base_/cityscapes27.py', '../_base_/models/backbones/dino_vits8.py']
crop_size = 320  # divisible by the patch size 8
paper_results = 'primaps-em/dino_vits8/cityscapes27'
