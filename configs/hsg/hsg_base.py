# HSG (Ke et al., CVPR'22): ResNet FCN trained from scratch on two views per image with region
# (SegSort) losses; stage 2 / Cityscapes add the clustering transformers and every loss.
# Shared by every configs/hsg/*: model, views, SGD with the "step" policy (x0.1 at 32 / 56 / 75 %
# of the run after a 100-iteration linear warm-up from 0.1 x lr), retrieval + cluster evaluation.
# Leaves add a dataset base and set crop_size, region_root, the loaders and the losses.
_base_ = ['../_base_/default_runtime.py', '../_base_/schedules/iter_schedule.py',
          '../_base_/models/imagenet_preprocessor.py']
custom_imports = dict(imports=['useg_hsg'], allow_failed_imports=False)
embedding_dim = 128
model = dict(
    type='HSGSegmentor',
    num_classes='${num_classes}',
    data_preprocessor=dict(type='MultiViewSegDataPreProcessor', size_divisor=None,
                           size=('${crop_size}', '${crop_size}')),
    # Training layout: output stride 16, res5 dilations (1, 4, 8); SyncBN over the GPUs.
    backbone=dict(type='TorchvisionResNet', depth=50, strides=(1, 2, 2, 1),
                  dilations=(1, 1, 1, 2), multi_grid=(1, 4, 8), out_indices=(3, ),
                  norm_cfg=dict(type='SyncBN', requires_grad=True)),
    head=dict(type='HSGEmbeddingHead', hidden_channels=2048, channels='${embedding_dim}'),
    segsort_loss=dict(type='SegSortLoss', concentration=16),
    views_per_image=2,
    # Test layout: output stride 8, res4 dilations (1, 2, 2, 2, 2, 2), res5 (2, 8, 16).
    test_layout=dict(strides=(1, 2, 1, 1),
                     dilations=((1, 1, 1), (1, 1, 1, 1), (1, 2, 2, 2, 2, 2), (2, 8, 16))),
    cluster_probe=dict(type='ClusterProbe', num_clusters='${num_classes}'))

view_pipeline = [
    dict(type='RandomScaleCrop', crop_size='${crop_size}', scale_range=(0.5, 1.5)),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1, prob=0.8),
    dict(type='TorchvisionRandomGrayscale', prob=0.2),
]
region_loader = dict(type='LoadRegionMap', region_root='${region_root}')
hsg_train_pipeline = [
    dict(type='LoadImageFromFile'),
    '${region_loader}',
    dict(type='MultiView', view_pipeline='${view_pipeline}', num_views=2),
    dict(type='PackMultiViewInputs'),
]
hsg_evaluators = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='retrieval_pred_sem_seg',
         num_classes='${num_classes}', prefix='retrieval'),
]
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
        dict(type='LinearWarmupLR', start_factor=0.1, warmup_iters=100, by_epoch=False),
        dict(type='RunMultiStepLR', milestone_fractions=[0.32, 0.56, 0.75], gamma=0.1,
             by_epoch=False),
    ],
    cluster_probe=[])
custom_hooks = [dict(type='SegmentMemoryBankHook', dataloader='${memory_dataloader}')]
