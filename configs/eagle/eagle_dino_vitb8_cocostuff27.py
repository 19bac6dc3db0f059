# EAGLE, DINO ViT-B/8, COCO-Stuff-27: a useg setting (the reference releases ViT-S/8 for COCO).
#   python tools/train.py configs/eagle/eagle_dino_vitb8_cocostuff27.py
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vitb8.py']
key_channels = 2304
paper_results = None
