# Potsdam-3 (STEGO / IIC protocol): 200x200 tiles stored as .mat files, used uncropped.
# Train: labelled_train, shorter side -> 224 (PIL nearest), centre crop 224.
# Eval: labelled_test, shorter side -> 320 (PIL nearest), centre crop 320.
# Layout and preparation: docs/datasets.md.
_base_ = ['./short_side_crop.py']
dataset_type = 'Potsdam3Dataset'
data_root = 'data/potsdam'
num_classes = 3
image_loader = 'LoadMatImageFromFile'
label_loader = 'LoadMatAnnotations'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='train',
                                     pipeline='${train_pipeline}'))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, split='val',
                                   pipeline='${test_pipeline}'))
test_dataloader = val_dataloader
