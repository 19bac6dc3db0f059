# HP, DINO ViT-B/8, Cityscapes-27 (no reported number).
#   python tools/train.py configs/hp/hp_dino_vitb8_cityscapes27.py
_base_ = ['./_base_/cityscapes27.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = None  # a released checkpoint, no reported number
