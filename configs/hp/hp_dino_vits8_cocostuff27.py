# HP, DINO ViT-S/8, COCO-Stuff-27 (reported, unverified: unsupervised (57.2, 24.6), linear (75.6, 42.7); with CRF).
#   python tools/train.py configs/hp/hp_dino_vits8_cocostuff27.py
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vits8.py']
paper_results = dict(source='HP paper results as quoted by later papers (task brief, specs/hp.md section 13) (unverified)',
                     protocol=dict(crop='center crop 320', crf=True, flip=False), cluster=(57.2, 24.6), linear=(75.6, 42.7))
