# PriMaPs-EM, DINOv2 ViT-B/14, cityscapes27 (paper table: "+PriMaPs" row).
#   python tools/precompute_pseudo_labels.py configs/primaps/dinov2_vitb14_cs.py
#   python tools/train.py configs/primaps/dinov2_vitb14_cs.py
#   python tools/test.py configs/primaps/dinov2_vitb14_cs.py CHECKPOINT
_base_ = ['./primaps_em_base.py', '../_base_/datasets/cityscapes27.py']
num_classes = 27
epochs = 50
iters_per_epoch = 92  # 2975 training images // batch 32
model = dict(
    backbone=dict(type='DINOViT', arch='dinov2_vitb14',
                  init_cfg=dict(type='Pretrained', checkpoint='dinov2_vitb14_pretrain.pth')),
    num_classes=num_classes,
    student=dict(in_channels=768, num_classes=num_classes),
    linear_probe=dict(in_channels=768, num_classes=num_classes))
crop = 322  # input side divisible by the patch size
# PriMaPs masks of the central crop of every training image (tools/precompute_pseudo_labels.py)
pseudo_labels = dict(
    labeler=dict(type='PriMaPsPseudoLabeler', threshold=0.4, crf=True),
    cache_dir='data/pseudo_labels/primaps',
    batch_size=32,
    pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
        dict(type='CenterCrop', crop_size=crop),
        dict(type='PackSegInputs'),
    ])
em_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='CenterCrop', crop_size=crop),
    dict(type='LoadPseudoLabel'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackUnsupervisedSegInputs'),
]
eval_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='CenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=em_train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=eval_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=epochs * iters_per_epoch, val_interval=iters_per_epoch)
