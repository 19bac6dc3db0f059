# CAUSE-MLP, DINOv2 ViT-B/14, Cityscapes-27: no published number (the reference released no DINOv2 MLP run).
#   python tools/precompute.py configs/cause/cause_mlp_dinov2_vitb14_cityscapes27.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dinov2_vitb14_cityscapes27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dinov2_vitb14_cityscapes27.py work_dirs/cause_mlp_dinov2_vitb14_cityscapes27/iter_699.pth
_base_ = ['./cause_mlp_cityscapes27_base.py', '../_base_/models/backbones/dinov2_vitb14.py']
eval_size = 322  # 23 x 23 tokens at patch 14: clusterbook, test
model = dict(data_preprocessor=dict(size_divisor=14))
