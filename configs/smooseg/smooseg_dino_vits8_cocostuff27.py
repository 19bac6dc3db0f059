# SmooSeg, DINO ViT-S/8 (300-epoch release), COCO-Stuff-27 (paper: 63.2 Acc / 26.7 mIoU).
#   python tools/train.py configs/smooseg/smooseg_dino_vits8_cocostuff27.py
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vits8_300ep.py']
paper_results = 'smooseg/dino_vits8/cocostuff27'
