# COCO-Stuff-27 (STEGO / PiCIE / PriMaPs protocol). Train: the five-cropped curated train list
# (tools/crop_dataset.py), shorter side -> 224 with PIL nearest, centre crop 224.
# Eval: curated val list (2,175 images), shorter side -> 320 (PIL nearest), centre crop 320.
# Layout and preparation: docs/datasets.md.
_base_ = ['./short_side_crop.py']
dataset_type = 'CocoStuff27Dataset'
data_root = 'data/cocostuff'
num_classes = 27
crop_dir = 'cropped/five_crop_0.5'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='train',
                                     crop_dir=crop_dir, pipeline='${train_pipeline}'))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='val',
                                   pipeline='${test_pipeline}'))
test_dataloader = val_dataloader
