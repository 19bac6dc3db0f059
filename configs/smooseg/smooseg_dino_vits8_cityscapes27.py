# SmooSeg, DINO ViT-S/8 (300-epoch release), Cityscapes-27 (paper: 82.8 Acc / 18.4 mIoU).
#   python tools/train.py configs/smooseg/smooseg_dino_vits8_cityscapes27.py
_base_ = ['./_base_/cityscapes27.py', '../_base_/models/backbones/dino_vits8_300ep.py']
paper_results = 'smooseg/dino_vits8/cityscapes27'
