# CAUSE-MLP, DINOv2 ViT-B/14, COCO-Stuff-27: no published number.
#   python tools/precompute_clusterbook.py configs/cause/cause_mlp_dinov2_vitb14_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dinov2_vitb14_coco.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dinov2_vitb14_coco.py work_dirs/cause_mlp_dinov2_vitb14_coco/iter_11634.pth
# The reference released no DINOv2 MLP run; its scripts would train it at 224 px (16 x 16).
_base_ = ['./cause_mlp_coco_base.py', './cause_patch14_base.py']
crop_pipeline = {{_base_.patch14_crop_pipeline}}  # 322 px: clusterbook, test
model = dict(
    data_preprocessor=dict(size_divisor=14),
    backbone=dict(type='DINOViT', arch='dinov2_vitb14',
                  init_cfg=dict(type='Pretrained', checkpoint='dinov2_vitb14_pretrain.pth')),
    head=dict(in_channels=768))
clusterbook = dict(pipeline=crop_pipeline)
val_dataloader = dict(dataset=dict(pipeline=crop_pipeline))
test_dataloader = val_dataloader
