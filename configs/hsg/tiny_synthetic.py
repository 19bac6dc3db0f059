# HSG stage 1 on the generated synthetic dataset: random ResNet-18 (OS16), Felzenszwalb regions,
# two views per image, region loss only; a few iterations on CPU. Stage 2: tiny_synthetic_stage2.py.
_base_ = ['../_base_/default_runtime.py', '../_base_/schedules/iter_schedule.py',
          '../_base_/datasets/synthetic.py']
custom_imports = dict(imports=['useg_hsg'], allow_failed_imports=False)

num_classes = 4
crop_size = 64
embedding_dim = 32

pseudo_labels = dict(
    labeler=dict(type='FelzenszwalbRegions', scale=100, sigma=0.8, min_size_fraction=0.005,
                 max_regions=16),
    cache_dir='work_dirs/pseudo_labels',
    pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')],
    batch_size=8)

model = dict(
    type='HSGSegmentor',
    num_classes=num_classes,
    data_preprocessor=dict(type='MultiViewSegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
                           seg_pad_val=255, size=(crop_size, crop_size)),
    backbone=dict(type='TorchvisionResNet', depth=18, strides=(1, 2, 2, 1),
                  dilations=(1, 1, 1, 2), multi_grid=(1, 4, 8), out_indices=(3, )),
    head=dict(type='HSGEmbeddingHead', in_channels=512, hidden_channels=64,
              channels=embedding_dim),
    kmeans=dict(type='SphericalKMeans', iterations=1, grid=(1, 1)),
    segsort_loss=dict(type='SegSortLoss', concentration=16),
    views_per_image=2,
    retrieval=dict(grid=(3, 3), top_k=5),
    cluster_probe=dict(type='ClusterProbe', in_channels=embedding_dim, num_clusters=num_classes))

view_pipeline = [
    dict(type='RandomScaleCrop', crop_size=crop_size, scale_range=(0.5, 1.5)),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1, prob=0.8),
    dict(type='TorchvisionRandomGrayscale', prob=0.2),
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadPseudoLabel'),
    dict(type='MultiView', view_pipeline=view_pipeline, num_views=2),
    dict(type='PackMultiViewInputs'),
]
train_dataloader = dict(batch_size=4, drop_last=True, dataset=dict(pipeline=train_pipeline))
# Evaluation on 64 px inputs (labels at their own size) keeps the full-resolution k-means cheap.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(crop_size, crop_size), keep_ratio=False),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PackSegInputs'),
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
memory_pipeline = test_pipeline
memory_dataloader = dict(
    batch_size=4, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ImageFolderDataset', data_root='data/synthetic', split='train',
                 num_classes=num_classes, pipeline=memory_pipeline))
test_evaluator = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='retrieval_pred_sem_seg',
         num_classes=num_classes, prefix='retrieval'),
]
val_evaluator = test_evaluator

train_cfg = dict(type='IterBasedTrainLoop', max_iters=2, val_interval=1000)
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    embedding_network=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
        paramwise_cfg=dict(bias_lr_mult=2.0, bias_decay_mult=0.0,
                           custom_keys={'grouping': dict(lr_mult=10.0)})),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
param_scheduler = dict(
    _delete_=True,
    embedding_network=[
        dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=1),
        dict(type='MultiStepLR', milestones=[1], gamma=0.1, by_epoch=False),
    ],
    cluster_probe=[])
custom_hooks = [
    dict(type='SegmentMemoryBankHook', dataloader=memory_dataloader),
    dict(type='SafeCheckpointHook'),
]
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
