# PriMaPs-EM pieces shared by every patch-8 backbone config: the crop (320, divisible by
# the patch size), the PriMaPs pseudo-label settings and the EM train / evaluation pipelines.
# Each backbone x dataset config inherits it beside ../_base_/datasets/<dataset>.py.
_base_ = ['./primaps_em_base.py']
crop = 320  # input side divisible by the patch size
# PriMaPs masks of the central crop of every training image (tools/precompute_pseudo_labels.py)
pseudo_labels = dict(
    labeler=dict(type='PriMaPsPseudoLabeler', threshold=0.4, crf=True),
    cache_dir='data/pseudo_labels/primaps',
    batch_size=32,
    pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
        dict(type='TorchvisionCenterCrop', crop_size=crop),
        dict(type='PackSegInputs'),
    ])
em_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size=crop),
    dict(type='LoadPseudoLabel'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackUnsupervisedSegInputs'),
]
eval_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
]
