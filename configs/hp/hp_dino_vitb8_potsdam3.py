# HP, DINO ViT-B/8, Potsdam-3 (reported, unverified: unsupervised (82.4, 68.6), linear None; with CRF).
#   python tools/train.py configs/hp/hp_dino_vitb8_potsdam3.py
_base_ = ['./_base_/potsdam3.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = dict(source='HP paper results as quoted by later papers (task brief, specs/hp.md section 13) (unverified)',
                     protocol=dict(crop='center crop 320', crf=True, flip=False), cluster=(82.4, 68.6), linear=None)
