# CAUSE-TR, DINO ViT-B/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 41.9 / 74.9 mIoU / Acc.
#   python tools/precompute.py configs/cause/cause_tr_dino_vitb8_cocostuff27.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dino_vitb8_cocostuff27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dino_vitb8_cocostuff27.py work_dirs/cause_tr_dino_vitb8_cocostuff27/iter_27146.pth
_base_ = ['./cause_tr_cocostuff27_base.py', '../_base_/models/backbones/dino_vitb8.py']
num_tokens = 1600  # (320 / 8)^2
paper_results = 'cause-tr/dino_vitb8/cocostuff27'
