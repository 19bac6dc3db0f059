# Potsdam-3 (STEGO / IIC protocol): 200x200 tiles stored as .mat files, used uncropped.
# Train: labelled_train, shorter side -> 224 (PIL nearest), centre crop 224.
# Eval: labelled_test, shorter side -> 320 (PIL nearest), centre crop 320.
# Layout and preparation: docs/datasets.md.
_base_ = ['./hungarian_evaluators.py']
dataset_type = 'Potsdam3Dataset'
data_root = 'data/potsdam'
num_classes = 3
train_size = 224
eval_size = 320

train_pipeline = [
    dict(type='LoadMatImageFromFile'),
    dict(type='LoadMatAnnotations'),
    dict(type='PILResizeShortSide', scale=train_size, interpolation='nearest'),
    dict(type='TorchvisionCenterCrop', crop_size=train_size),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadMatImageFromFile'),
    dict(type='LoadMatAnnotations'),
    dict(type='PILResizeShortSide', scale=eval_size, interpolation='nearest'),
    dict(type='TorchvisionCenterCrop', crop_size=eval_size),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='val', pipeline=test_pipeline))
test_dataloader = val_dataloader
