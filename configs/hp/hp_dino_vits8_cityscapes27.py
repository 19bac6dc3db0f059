# HP, DINO ViT-S/8, Cityscapes-27 (reported, unverified: unsupervised (80.1, 18.4), linear (91.2, 30.6); with CRF).
#   python tools/train.py configs/hp/hp_dino_vits8_cityscapes27.py
_base_ = ['./_base_/cityscapes27.py', '../_base_/models/backbones/dino_vits8.py']
paper_results = dict(source='HP paper results as quoted by later papers (task brief, specs/hp.md section 13) (unverified)',
                     protocol=dict(crop='center crop 320', crf=True, flip=False), cluster=(80.1, 18.4), linear=(91.2, 30.6))
