# CAUSE-TR, DINO ViT-S/8, Cityscapes-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 24.6 / 89.4 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dino_vits8_cityscapes.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dino_vits8_cityscapes.py                   # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dino_vits8_cityscapes.py work_dirs/cause_tr_dino_vits8_cityscapes/iter_1631.pth
# One reference epoch = 233 iterations (14,875 five-crops / 4 GPUs / 16); stage 2 = 2 epochs, stage 3 =
# 5 epochs (probe lr halved every 2 epochs). Global batch 64 (4 GPUs x 16) at lr 4e-3 = 1e-3 x 64 / 16:
# scale lr with the global batch. Train at 320 px (1600 tokens); clusterbook and test at 320 px.
# The reference built DINO ViT-S with 12 heads (plugin README); useg uses DINO's 6. For the
# reference's features: model.backbone.arch=dict(img_size=224, patch_size=8, embed_dim=384,
# depth=12, num_heads=12) with the same weights file.
_base_ = ['./cause_base.py', '../_base_/datasets/cityscapes27.py']
num_classes = 27
crop_pipeline = [  # 320 px centre crops (clusterbook, TR training)
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=320, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=320),
    dict(type='PackSegInputs'),
]
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    num_classes=num_classes,
    head=dict(structure='tr', in_channels=384, num_tokens=1600),
    head_iters=466,
    cluster_probe=dict(num_clusters=num_classes),
    linear_probe=dict(num_classes=num_classes))
clusterbook = dict(pipeline=crop_pipeline)
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=crop_pipeline))
# clipping of head + projection: Cityscapes-27 TR max-norm 1.0; weight decay 0
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0), clip_grad=dict(max_norm=1.0)),
    linear_probe=dict(optimizer=dict(weight_decay=0)))
probe_lr = [dict(type='MultiStepLR', by_epoch=False, milestones=[932, 1398], gamma=0.5)]
param_scheduler = dict(student=[], cluster_probe=probe_lr, linear_probe=probe_lr)
train_cfg = dict(max_iters=1631, val_interval=233)
default_hooks = dict(checkpoint=dict(interval=233))
