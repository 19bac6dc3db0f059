# STEGO, DINO ViT-B/8, Potsdam-3 (paper: unsupervised 77.0 Acc; the released potsdam_test.ckpt
# evaluates to 77.0 Acc / 62.6 mIoU but was trained with ViT-S/8, see plugins/stego/README.md).
#   python tools/precompute.py configs/stego/stego_dino_vitb8_potsdam3.py
#   python tools/train.py configs/stego/stego_dino_vitb8_potsdam3.py
_base_ = ['./_base_/potsdam3.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = 'stego/dino_vitb8/potsdam3'
