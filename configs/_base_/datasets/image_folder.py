# Your own data: imgs/{train,val}/*.jpg|png (+ optional labels/{train,val}/*.png, class ids,
# 255 = ignore). Set data_root and num_classes (and classes, if you like) in your config, or
# declare own_data = dict(data_root=..., num_classes=...) in any method config (README).
# Train: shorter side -> crop_size 224 (PIL bilinear), centre crop. Eval: shorter side -> 320,
# centre crop 320. Layout: docs/datasets.md.
_base_ = ['./short_side_crop.py']
dataset_type = 'ImageFolderDataset'
data_root = 'data/my_dataset'
num_classes = 27
resize_interpolation = 'bilinear'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='train',
                                     num_classes=num_classes, pipeline='${train_pipeline}'))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='val',
                                   num_classes=num_classes, pipeline='${test_pipeline}'))
test_dataloader = val_dataloader
