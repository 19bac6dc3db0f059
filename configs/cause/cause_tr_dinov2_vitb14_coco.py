# CAUSE-TR, DINOv2 ViT-B/14, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 45.3 / 78.0 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dinov2_vitb14_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_coco.py                   # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dinov2_vitb14_coco.py work_dirs/cause_tr_dinov2_vitb14_coco/iter_27146.pth
# One reference epoch = 3878 iterations (248,145 five-crops / 4 GPUs / 16); stage 2 = 2 epochs, stage 3 =
# 5 epochs (probe lr halved every 2 epochs). Global batch 64 (4 GPUs x 16) at lr 4e-3 = 1e-3 x 64 / 16:
# scale lr with the global batch. Train at 322 px (529 tokens); clusterbook and test at 322 px.
_base_ = ['./cause_base.py', '../_base_/datasets/cocostuff27.py']
num_classes = 27
crop_pipeline = [  # 322 px centre crops (clusterbook, TR training, test)
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=322, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=322),
    dict(type='PackSegInputs'),
]
model = dict(
    data_preprocessor=dict(size_divisor=14),
    backbone=dict(type='DINOViT', arch='dinov2_vitb14',
                  init_cfg=dict(type='Pretrained', checkpoint='dinov2_vitb14_pretrain.pth')),
    num_classes=num_classes,
    head=dict(structure='tr', in_channels=768, num_tokens=529),
    head_iters=7756,
    cluster_probe=dict(num_clusters=num_classes),
    linear_probe=dict(num_classes=num_classes))
clusterbook = dict(pipeline=crop_pipeline)
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=crop_pipeline))
val_dataloader = dict(dataset=dict(pipeline=crop_pipeline))
test_dataloader = val_dataloader
# clipping of head + projection: COCO-Stuff-27 TR max-norm 2.0; weight decay 0.0001
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0.0001), clip_grad=dict(max_norm=2.0)),
    linear_probe=dict(optimizer=dict(weight_decay=0.0001)))
probe_lr = [dict(type='MultiStepLR', by_epoch=False, milestones=[15512, 23268], gamma=0.5)]
param_scheduler = dict(student=[], cluster_probe=probe_lr, linear_probe=probe_lr)
train_cfg = dict(max_iters=27146, val_interval=3878)
default_hooks = dict(checkpoint=dict(interval=3878))
