# The template method on the generated synthetic scenes with a random-weight tiny ViT (CPU, ~20 s).
# Self-contained on purpose (no _base_): a copied plugin works wherever its folder lives.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/train.py plugins/template/configs/tiny_synthetic.py
default_scope = 'useg'
custom_imports = dict(imports=['useg_template'], allow_failed_imports=False)
num_classes = 4
code_dim = 16
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(
    backbone_precision='fp32',
    type='TemplateSegmentor',
    num_classes=num_classes,
    data_preprocessor=dict(type='UsegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
                           seg_pad_val=255, size_divisor=8),
    backbone=dict(type='DINOViT', arch='vit_tiny_p8', init_cfg=None),  # random weights
    head=dict(type='ProjectionHead', in_channels=48, channels=code_dim),
    loss=dict(type='TemplateLoss', num_pairs=1024),
    cluster_probe=dict(type='ClusterProbe', in_channels=code_dim, num_clusters=num_classes),
    linear_probe=dict(type='LinearProbe', in_channels=code_dim, num_classes=num_classes),
    test_cfg=dict(crf=True, crf_workers=1))  # also CRF-refined predictions (crf_cluster/*)
# the cluster probe starts from (and ends as) k-means++ on the code: core ClusterKMeansHook
custom_hooks = [dict(type='ClusterKMeansHook')]

data_root = 'data/synthetic'
dataset = dict(type='ImageFolderDataset', data_root=data_root, num_classes=num_classes)
train_pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                  dict(type='RandomCrop', crop_size=(64, 64)), dict(type='PackSegInputs')]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                 dict(type='PackSegInputs')]
train_dataloader = dict(batch_size=4, num_workers=0,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=dict(dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=0,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(dataset, split='val', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='linear_pred_sem_seg', prefix='linear'),
    dict(type='HungarianMetric', mode='hungarian', pred_key='crf_pred_sem_seg',
         prefix='crf_cluster')]
test_evaluator = val_evaluator

train_cfg = dict(type='IterBasedTrainLoop', max_iters=40, val_interval=40)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(  # one optimiser per module; each loss trains the module loss_optimizer names
    constructor='ModuleOptimWrapperConstructor',
    head=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3)),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-2)),
    linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-2)))
default_hooks = dict(logger=dict(type='LoggerHook', interval=20),
                     checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=40))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
