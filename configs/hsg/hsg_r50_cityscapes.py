# HSG on Cityscapes (single stage, from scratch): the authors' PMI-owt-ucm regions
# (seginst/pmi_0.05), 448 crops, 8 GPUs x 4 images = 32, all losses with the Cityscapes variant
# (kNN 4 over all tokens, DMoN / centroid weights 0.2, transformer lr x1, dynamic token padding).
# Evaluated with useg's Cityscapes-27 protocol (cluster probe + Hungarian, and retrieval).
_base_ = ['../_base_/default_runtime.py', '../_base_/schedules/iter_schedule.py',
          '../_base_/datasets/cityscapes27.py']
custom_imports = dict(imports=['useg_hsg'], allow_failed_imports=False)

num_classes = 27
crop_size = 448
embedding_dim = 128
cityscapes_root = 'data/cityscapes'
region_root = 'data/cityscapes/seginst/pmi_0.05'

model = dict(
    type='HSGSegmentor',
    num_classes=num_classes,
    data_preprocessor=dict(type='MultiViewSegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
                           seg_pad_val=255, size=(crop_size, crop_size)),
    backbone=dict(type='TorchvisionResNet', depth=50, strides=(1, 2, 2, 1),
                  dilations=(1, 1, 1, 2), multi_grid=(1, 4, 8), out_indices=(3, ),
                  norm_cfg=dict(type='SyncBN', requires_grad=True)),
    head=dict(type='HSGEmbeddingHead', in_channels=2048, hidden_channels=2048,
              channels=embedding_dim),
    kmeans=dict(type='SphericalKMeans', iterations=15, grid=(4, 4)),
    segsort_loss=dict(type='SegSortLoss', concentration=16),
    grouping=dict(type='HierarchicalGrouping', fine_clusters=8, coarse_clusters=4,
                  dim=embedding_dim, token_capacity=None,
                  transformer=dict(heads=4, num_encoder_layers=2, num_decoder_layers=2,
                                   feedforward_dim=256, dropout=0.1)),
    dmon_loss=dict(type='DMoNLoss', knn=4, per_view=False, collapse_num_nodes=None),
    loss_weights=dict(region=1.0, fine=0.1, coarse=0.1, dmon=0.2, centroid=0.2),
    views_per_image=2,
    retrieval=dict(grid=(12, 24), top_k=20),
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
# The 2,975 full-resolution fine train images (not the five crops).
train_dataloader = dict(
    _delete_=True,
    batch_size=4, num_workers=4, persistent_workers=True, drop_last=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='Cityscapes27Dataset', data_root=cityscapes_root, split='train',
                 pipeline=train_pipeline))
memory_dataloader = dict(
    batch_size=8, num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='Cityscapes27Dataset', data_root=cityscapes_root, split='train',
                 pipeline={{_base_.test_pipeline}}))
test_evaluator = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='retrieval_pred_sem_seg',
         num_classes=num_classes, prefix='retrieval'),
]
val_evaluator = test_evaluator

max_iters = 38000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters + 1)
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    embedding_network=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4),
        paramwise_cfg=dict(bias_lr_mult=2.0, bias_decay_mult=0.0)),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
param_scheduler = dict(
    _delete_=True,
    embedding_network=[
        dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
        dict(type='MultiStepLR', milestones=[12160, 21280, 28500], gamma=0.1, by_epoch=False),
    ],
    cluster_probe=[])
custom_hooks = [
    dict(type='SegmentMemoryBankHook', dataloader=memory_dataloader),
    dict(type='SafeCheckpointHook'),
]
default_hooks = dict(checkpoint=dict(interval=5000))
