# Tiny synthetic textured scenes (4 classes) for the quickstart and the tests; runs fast on CPU.
# Make the data first: python tools/make_synthetic_dataset.py data/synthetic
# Train: shorter side -> crop_size (PIL bilinear), centre crop; eval at the images' own size.
_base_ = ['./hungarian_evaluators.py']
dataset_type = 'ImageFolderDataset'
data_root = 'data/synthetic'
num_classes = 4
crop_size = 64
image_loader = 'LoadImageFromFile'
label_loader = 'LoadCheckedAnnotations'

train_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', num_classes=num_classes,
                 pipeline='${train_pipeline}'))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='val', num_classes=num_classes,
                 pipeline='${test_pipeline}'))
test_dataloader = val_dataloader
