# HSG stage 1 (Ke et al., CVPR'22): ResNet-50 FCN from scratch on COCO train2017 images with the
# authors' SE-owt-ucm regions (<= 48), 224 crops, 2 views, region loss only; evaluated on VOC12 val.
# 8 GPUs x 16 images = 128 images (256 views) per step. Stage 2: hsg_r50_coco-voc_stage2.py.
_base_ = ['./hsg_base.py', '../_base_/datasets/voc.py']
crop_size = 224
coco_root = 'data/cocostuff'
voc_root = 'data/VOCdevkit/VOC2012'
region_root = 'data/cocostuff/seginst/rf_0.25_48/train2017'
model = dict(
    data_preprocessor=dict(test_cfg=dict(size=(512, 512))),
    kmeans=dict(type='SphericalKMeans', iterations=1, grid=(1, 1)),
    loss_weights=dict(region=1.0),
    retrieval=dict(grid=(6, 6), top_k=20))
train_dataloader = dict(
    _delete_=True,
    batch_size=16, num_workers=4, persistent_workers=True, drop_last=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='CocoStuff27Dataset', data_root=coco_root, split='train', image_list=None,
                 pipeline='${hsg_train_pipeline}'))
# VOC12 val: longer side 512 (labels at the original size), padded to 512 by the preprocessor.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=True),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PackSegInputs'),
]
val_dataloader = dict(batch_size=8)
test_dataloader = val_dataloader
# Memory bank of the retrieval protocol: the labelled VOC train_aug segments (10,582 images).
memory_dataloader = dict(
    batch_size=8, num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='PascalVOCDataset', data_root=voc_root,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
                 ann_file='ImageSets/Segmentation/aug.txt', pipeline='${test_pipeline}'))
test_evaluator = '${hsg_evaluators}'
val_evaluator = test_evaluator
max_iters = 350000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters + 1)
default_hooks = dict(checkpoint=dict(interval=50000))
