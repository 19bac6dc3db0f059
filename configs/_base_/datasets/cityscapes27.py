# Cityscapes-27 (STEGO / PriMaPs protocol, labelIds 7..33). Train: five crops of the 2,975 fine
# train images (tools/crop_dataset.py), shorter side -> 224 with PIL nearest, centre crop 224.
# Eval: the 500 val images, shorter side -> 320 (PIL nearest), centre crop 320 (the middle
# 320x320 of 320x640).
# Layout and preparation: docs/datasets.md.
_base_ = ['./short_side_crop.py']
dataset_type = 'Cityscapes27Dataset'
data_root = 'data/cityscapes'
num_classes = 27
crop_dir = 'cropped/five_crop_0.5'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='train',
                                     crop_dir=crop_dir, pipeline='${train_pipeline}'))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='val',
                                   pipeline='${test_pipeline}'))
test_dataloader = val_dataloader
