# Your own data: imgs/{train,val}/*.jpg|png (+ optional labels/{train,val}/*.png, class ids,
# 255 = ignore). Set data_root and num_classes (and classes, if you like) in your config.
# Train: shorter side -> 224 (PIL bilinear), centre crop 224. Eval: shorter side -> 320,
# centre crop 320. Layout: docs/datasets.md.
_base_ = ['./hungarian_evaluators.py']
dataset_type = 'ImageFolderDataset'
data_root = 'data/my_dataset'
num_classes = 27
train_size = 224
eval_size = 320

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PILResizeShortSide', scale=train_size, interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size=train_size),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PILResizeShortSide', scale=eval_size, interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size=eval_size),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', num_classes=num_classes,
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='val', num_classes=num_classes,
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
