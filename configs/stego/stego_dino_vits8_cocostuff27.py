# STEGO, DINO ViT-S/8, COCO-Stuff-27 (paper: unsupervised 48.3 Acc / 24.5 mIoU, linear 74.4 / 38.3).
#   python tools/precompute.py configs/stego/stego_dino_vits8_cocostuff27.py
#   python tools/train.py configs/stego/stego_dino_vits8_cocostuff27.py
_base_ = ['./_base_/cocostuff27_vits.py', '../_base_/models/backbones/dino_vits8_300ep.py']
paper_results = 'stego/dino_vits8/cocostuff27'
