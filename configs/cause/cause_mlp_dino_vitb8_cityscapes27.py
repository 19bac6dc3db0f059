# CAUSE-MLP, DINO ViT-B/8, Cityscapes-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 25.7 / 90.3 mIoU / Acc.
#   python tools/precompute.py configs/cause/cause_mlp_dino_vitb8_cityscapes27.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dino_vitb8_cityscapes27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dino_vitb8_cityscapes27.py work_dirs/cause_mlp_dino_vitb8_cityscapes27/iter_699.pth
_base_ = ['./cause_mlp_cityscapes27_base.py', '../_base_/models/backbones/dino_vitb8.py']
paper_results = 'cause-mlp/dino_vitb8/cityscapes27'
