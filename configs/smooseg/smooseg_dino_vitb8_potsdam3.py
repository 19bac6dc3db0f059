# SmooSeg, DINO ViT-B/8, Potsdam-3 (no paper row is recalled in specs/smooseg.md).
#   python tools/train.py configs/smooseg/smooseg_dino_vitb8_potsdam3.py
_base_ = ['./_base_/potsdam3.py', '../_base_/models/backbones/dino_vitb8.py']
