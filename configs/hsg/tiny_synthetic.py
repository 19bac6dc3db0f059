# HSG stage 1 on the generated synthetic dataset: random ResNet-18 (OS16), Felzenszwalb regions,
# two views per image, region loss only; 100 iterations on CPU (about 20 s).
# Stage 2: tiny_synthetic_stage2.py.
_base_ = ['./hsg_base.py', '../_base_/datasets/synthetic.py']
embedding_dim = 32
precomputes = ['pseudo_labels']  # `useg precompute CONFIG` fills the cache below
pseudo_labels = dict(
    labeler=dict(type='FelzenszwalbRegions', scale=100, sigma=0.8, min_size_fraction=0.005,
                 max_regions=16),
    pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')],
    batch_size=8)
region_loader = dict(_delete_=True, type='LoadPseudoLabel')
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(
    backbone_precision='fp32',
    backbone=dict(depth=18, norm_cfg=dict(_delete_=True, type='BN', requires_grad=True)),
    head=dict(hidden_channels=64),
    kmeans=dict(type='SphericalKMeans', iterations=1, grid=(1, 1)),
    retrieval=dict(grid=(3, 3), top_k=5),
    test_layout=None)
train_dataloader = dict(batch_size=4, drop_last=True, dataset=dict(pipeline='${hsg_train_pipeline}'))
# Evaluation on crop_size inputs (labels at their own size) keeps the full-resolution k-means cheap.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=('${crop_size}', '${crop_size}'), keep_ratio=False),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PackSegInputs'),
]
memory_dataloader = dict(
    batch_size=4, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ImageFolderDataset', data_root='${data_root}', split='train',
                 num_classes='${num_classes}', pipeline='${test_pipeline}'))
test_evaluator = '${hsg_evaluators}'
# cluster probe: k-means++ on the code before and after training (ClusterKMeansHook, useg extension)
custom_hooks = [dict(type='SegmentMemoryBankHook', dataloader='${memory_dataloader}'),
                dict(type='ClusterKMeansHook')]
val_evaluator = test_evaluator
# the paper's schedule shape (warm-up, x0.1 at 32 / 56 / 75 %) stretched to the run
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100, val_interval=1000)
optim_wrapper = dict(embedding_network=dict(optimizer=dict(lr=0.01)))
param_scheduler = dict(embedding_network=[
    dict(type='LinearWarmupLR', start_factor=0.1, warmup_fraction=0.05, by_epoch=False),
    dict(type='RunMultiStepLR', milestone_fractions=[0.32, 0.56, 0.75], gamma=0.1,
         by_epoch=False)])
default_hooks = dict(checkpoint=dict(interval=100), logger=dict(interval=20))
