# STEGO, DINO ViT-B/8, Cityscapes-27 (paper: unsupervised 73.2 Acc / 21.0 mIoU).
#   python tools/precompute.py configs/stego/stego_dino_vitb8_cityscapes27.py
#   python tools/train.py configs/stego/stego_dino_vitb8_cityscapes27.py
_base_ = ['./_base_/cityscapes27.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = 'stego/dino_vitb8/cityscapes27'
