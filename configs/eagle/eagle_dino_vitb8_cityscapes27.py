# EAGLE, DINO ViT-B/8, Cityscapes-27 (clean defaults; see the plugin README for the deviations).
#   python tools/train.py configs/eagle/eagle_dino_vitb8_cityscapes27.py
_base_ = ['./_base_/cityscapes27.py', '../_base_/models/backbones/dino_vitb8.py']
key_channels = 2304
# the paper's numbers (unverified); its metric drops extra-cluster pixels (README)
paper_results = dict(
    source='EAGLE paper (CVPR 2024) as given in specs/eagle.md section 13 (unverified)',
    protocol=dict(crop='center crop 320', crf=True, flip=True),
    cluster=(79.4, 22.1), linear=(91.4, 33.4))
