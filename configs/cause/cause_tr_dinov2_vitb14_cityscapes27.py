# CAUSE-TR, DINOv2 ViT-B/14, Cityscapes-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 29.9 / 89.8 mIoU / Acc.
#   python tools/precompute.py configs/cause/cause_tr_dinov2_vitb14_cityscapes27.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_cityscapes27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dinov2_vitb14_cityscapes27.py work_dirs/cause_tr_dinov2_vitb14_cityscapes27/iter_1631.pth
_base_ = ['./cause_tr_cityscapes27_base.py', '../_base_/models/backbones/dinov2_vitb14.py']
eval_size = 322  # 23 x 23 tokens at patch 14: clusterbook, test, TR training
model = dict(data_preprocessor=dict(size_divisor=14))
num_tokens = 529  # (322 / 14)^2
paper_results = 'cause-tr/dinov2_vitb14/cityscapes27'
