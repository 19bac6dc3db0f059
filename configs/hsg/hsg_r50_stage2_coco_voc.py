# HSG stage 2: from the last stage-1 checkpoint, 448 crops, 8 GPUs x 6 images = 48 images,
# 4x4 k-means (15 it.), fine (8) / coarse (4) clustering transformers and every loss.
_base_ = ['./hsg_r50_stage1_coco_voc.py']

crop_size = 448
load_from = 'work_dirs/hsg_r50_stage1_coco_voc/iter_350000.pth'

model = dict(
    data_preprocessor=dict(size=(crop_size, crop_size)),
    kmeans=dict(type='SphericalKMeans', iterations=15, grid=(4, 4)),
    grouping=dict(type='HierarchicalGrouping', fine_clusters=8, coarse_clusters=4, dim=128,
                  token_capacity=256,
                  transformer=dict(heads=4, num_encoder_layers=2, num_decoder_layers=2,
                                   feedforward_dim=256, dropout=0.1)),
    dmon_loss=dict(type='DMoNLoss', knn=2, per_view=True, collapse_num_nodes=256),
    loss_weights=dict(region=1.0, fine=0.1, coarse=0.1, dmon=1.0, centroid=1.0))

view_pipeline = [
    dict(type='RandomScaleCrop', crop_size=crop_size, scale_range=(0.5, 1.5)),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1, prob=0.8),
    dict(type='TorchvisionRandomGrayscale', prob=0.2),
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRegionMap', region_root={{_base_.region_root}}),
    dict(type='MultiView', view_pipeline=view_pipeline, num_views=2),
    dict(type='PackMultiViewInputs'),
]
train_dataloader = dict(batch_size=6, dataset=dict(pipeline=train_pipeline))

max_iters = 20000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
optim_wrapper = dict(embedding_network=dict(optimizer=dict(lr=0.008)))
param_scheduler = dict(
    embedding_network=[
        dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
        dict(type='MultiStepLR', milestones=[6400, 11200, 15000], gamma=0.1, by_epoch=False),
    ])
default_hooks = dict(checkpoint=dict(interval=20000))
