# PASCAL VOC 2012, 21 classes (mmseg's PascalVOCDataset; MaskContrast protocol).
# Train: train split (or trainaug: SegmentationClassAug + ImageSets/Segmentation/aug.txt),
# RandomResizedCrop crop_size 224 (scale 0.2..1, bilinear image / nearest labels).
# Eval: the 1,449 val images resized to eval_size x eval_size 512 (aspect not kept), labels nearest.
# Layout and preparation: docs/datasets.md.
_base_ = ['./loaders.py']
dataset_type = 'PascalVOCDataset'
data_root = 'data/VOCdevkit/VOC2012'
num_classes = 21
crop_size = 224
eval_size = 512

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='RandomResizedCrop', size='${crop_size}', scale=(0.2, 1.0)),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='Resize', scale=('${eval_size}', '${eval_size}'), keep_ratio=False),
    dict(type='PackSegInputs'),
]
voc_images = dict(img_path='JPEGImages', seg_map_path='SegmentationClass')
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, data_prefix=voc_images,
                                     ann_file='ImageSets/Segmentation/train.txt',
                                     pipeline='${train_pipeline}'))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root, data_prefix=voc_images,
                                   ann_file='ImageSets/Segmentation/val.txt',
                                   pipeline='${test_pipeline}'))
test_dataloader = val_dataloader
