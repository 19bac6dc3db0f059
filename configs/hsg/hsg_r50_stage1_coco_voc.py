# HSG stage 1 (Ke et al., CVPR'22): ResNet-50 FCN from scratch on COCO train2017 images with the
# authors' SE-owt-ucm regions (<= 48), 224 crops, 2 views, region loss only; evaluated on VOC12 val.
# 8 GPUs x 16 images = 128 images (256 views) per step. Stage 2: hsg_r50_stage2_coco_voc.py.
_base_ = ['../_base_/default_runtime.py', '../_base_/schedules/iter_schedule.py',
          '../_base_/datasets/voc.py']
custom_imports = dict(imports=['useg_hsg'], allow_failed_imports=False)

num_classes = 21
crop_size = 224
embedding_dim = 128
coco_root = 'data/cocostuff'
voc_root = 'data/VOCdevkit/VOC2012'
region_root = 'data/cocostuff/seginst/rf_0.25_48/train2017'

model = dict(
    type='HSGSegmentor',
    num_classes=num_classes,
    data_preprocessor=dict(type='MultiViewSegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
                           seg_pad_val=255, size=(crop_size, crop_size),
                           test_cfg=dict(size=(512, 512))),
    # Training layout: output stride 16, res5 dilations (1, 4, 8); SyncBN over the GPUs.
    backbone=dict(type='TorchvisionResNet', depth=50, strides=(1, 2, 2, 1),
                  dilations=(1, 1, 1, 2), multi_grid=(1, 4, 8), out_indices=(3, ),
                  norm_cfg=dict(type='SyncBN', requires_grad=True)),
    head=dict(type='HSGEmbeddingHead', in_channels=2048, hidden_channels=2048,
              channels=embedding_dim),
    kmeans=dict(type='SphericalKMeans', iterations=1, grid=(1, 1)),
    segsort_loss=dict(type='SegSortLoss', concentration=16),
    loss_weights=dict(region=1.0),
    views_per_image=2,
    retrieval=dict(grid=(6, 6), top_k=20),
    # Test layout: output stride 8, res4 dilations (1, 2, 2, 2, 2, 2), res5 (2, 8, 16).
    test_layout=dict(strides=(1, 2, 1, 1),
                     dilations=((1, 1, 1), (1, 1, 1, 1), (1, 2, 2, 2, 2, 2), (2, 8, 16))),
    cluster_probe=dict(type='ClusterProbe', in_channels=embedding_dim, num_clusters=num_classes))

view_pipeline = [
    dict(type='RandomScaleCrop', crop_size=crop_size, scale_range=(0.5, 1.5)),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1, prob=0.8),
    dict(type='TorchvisionRandomGrayscale', prob=0.2),
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRegionMap', region_root=region_root),
    dict(type='MultiView', view_pipeline=view_pipeline, num_views=2),
    dict(type='PackMultiViewInputs'),
]
train_dataloader = dict(
    _delete_=True,
    batch_size=16, num_workers=4, persistent_workers=True, drop_last=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='CocoStuff27Dataset', data_root=coco_root, split='train', image_list=None,
                 pipeline=train_pipeline))
# VOC12 val: longer side 512 (labels at the original size), padded to 512 by the preprocessor.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=True),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PackSegInputs'),
]
val_dataloader = dict(batch_size=8, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
# Memory bank of the retrieval protocol: the labelled VOC train_aug segments (10,582 images).
memory_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=True),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PackSegInputs'),
]
memory_dataloader = dict(
    batch_size=8, num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='PascalVOCDataset', data_root=voc_root,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
                 ann_file='ImageSets/Segmentation/aug.txt', pipeline=memory_pipeline))
test_evaluator = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='retrieval_pred_sem_seg',
         num_classes=num_classes, prefix='retrieval'),
]
val_evaluator = test_evaluator

# SGD 0.9 / 1e-4; biases x2 lr without decay; "step" policy: x0.1 at 32 / 56 / 75 % after a
# 100-iteration linear warm-up from 0.1 x lr.
max_iters = 350000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters + 1)
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    embedding_network=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4),
        paramwise_cfg=dict(bias_lr_mult=2.0, bias_decay_mult=0.0,
                           custom_keys={'grouping': dict(lr_mult=10.0)})),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
param_scheduler = dict(
    _delete_=True,
    embedding_network=[
        dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
        dict(type='MultiStepLR', milestones=[112000, 196000, 262500], gamma=0.1,
             by_epoch=False),
    ],
    cluster_probe=[])
custom_hooks = [
    dict(type='SegmentMemoryBankHook', dataloader=memory_dataloader),
    dict(type='SafeCheckpointHook'),
]
default_hooks = dict(checkpoint=dict(interval=50000))
