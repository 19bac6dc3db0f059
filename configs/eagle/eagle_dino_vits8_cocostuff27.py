# EAGLE, DINO ViT-S/8, COCO-Stuff-27 (clean defaults; see the plugin README for the deviations).
#   python tools/train.py configs/eagle/eagle_dino_vits8_cocostuff27.py
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vits8.py']
key_channels = 1152
# the paper's numbers (unverified); its metric drops extra-cluster pixels (README)
paper_results = dict(
    source='EAGLE paper (CVPR 2024) as given in specs/eagle.md section 13 (unverified)',
    protocol=dict(crop='center crop 320', crf=True, flip=True),
    cluster=(64.2, 27.2), linear=(76.8, 43.9))
