# STEGO, DINO ViT-B/8, COCO-Stuff-27 (paper: unsupervised 56.9 Acc / 28.2 mIoU, linear 76.1 / 41.0).
#   python tools/precompute.py configs/stego/stego_dino_vitb8_cocostuff27.py
#   python tools/train.py configs/stego/stego_dino_vitb8_cocostuff27.py
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = 'stego/dino_vitb8/cocostuff27'
