# CAUSE-MLP, DINOv2 ViT-B/14, COCO-Stuff-27: no published number (the reference released no DINOv2 MLP run).
#   python tools/precompute.py configs/cause/cause_mlp_dinov2_vitb14_cocostuff27.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dinov2_vitb14_cocostuff27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dinov2_vitb14_cocostuff27.py work_dirs/cause_mlp_dinov2_vitb14_cocostuff27/iter_11634.pth
_base_ = ['./cause_mlp_cocostuff27_base.py', '../_base_/models/backbones/dinov2_vitb14.py']
eval_size = 322  # 23 x 23 tokens at patch 14: clusterbook, test
model = dict(data_preprocessor=dict(size_divisor=14))
