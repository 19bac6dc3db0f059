# CAUSE-MLP, DINO ViT-B/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 34.3 / 72.8 mIoU / Acc.
#   python tools/precompute.py configs/cause/cause_mlp_dino_vitb8_cocostuff27.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dino_vitb8_cocostuff27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dino_vitb8_cocostuff27.py work_dirs/cause_mlp_dino_vitb8_cocostuff27/iter_11634.pth
_base_ = ['./cause_mlp_cocostuff27_base.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = 'cause-mlp/dino_vitb8/cocostuff27'
