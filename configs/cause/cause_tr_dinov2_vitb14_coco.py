# CAUSE-TR, DINOv2 ViT-B/14, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 45.3 / 78.0 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dinov2_vitb14_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_coco.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dinov2_vitb14_coco.py work_dirs/cause_tr_dinov2_vitb14_coco/iter_27146.pth
_base_ = ['./cause_tr_coco_base.py', './cause_patch14_base.py']
crop_pipeline = {{_base_.patch14_crop_pipeline}}  # 322 px: clusterbook, test, TR training
model = dict(
    data_preprocessor=dict(size_divisor=14),
    backbone=dict(type='DINOViT', arch='dinov2_vitb14',
                  init_cfg=dict(type='Pretrained', checkpoint='dinov2_vitb14_pretrain.pth')),
    head=dict(in_channels=768, num_tokens=529))  # 322 px / 14
clusterbook = dict(pipeline=crop_pipeline)
train_dataloader = dict(dataset=dict(pipeline=crop_pipeline))
val_dataloader = dict(dataset=dict(pipeline=crop_pipeline))
test_dataloader = val_dataloader
