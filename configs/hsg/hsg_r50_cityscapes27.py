# HSG on Cityscapes (single stage, from scratch): the authors' PMI-owt-ucm regions
# (seginst/pmi_0.05), 448 crops, 8 GPUs x 4 images = 32, all losses with the Cityscapes variant
# (kNN 4 over all tokens, DMoN / centroid weights 0.2, transformer lr x1, dynamic token padding).
# Evaluated with useg's Cityscapes-27 protocol (cluster probe + Hungarian, and retrieval).
_base_ = ['./hsg_base.py', '../_base_/datasets/cityscapes27.py']
crop_size = 448
region_root = 'data/cityscapes/seginst/pmi_0.05'
model = dict(
    data_preprocessor=dict(test_cfg=None),
    kmeans=dict(type='SphericalKMeans', iterations=15, grid=(4, 4)),
    grouping=dict(type='HierarchicalGrouping', fine_clusters=8, coarse_clusters=4,
                  dim='${embedding_dim}', token_capacity=None,
                  transformer=dict(heads=4, num_encoder_layers=2, num_decoder_layers=2,
                                   feedforward_dim=256, dropout=0.1)),
    dmon_loss=dict(type='DMoNLoss', knn=4, per_view=False, collapse_num_nodes=None),
    loss_weights=dict(region=1.0, fine=0.1, coarse=0.1, dmon=0.2, centroid=0.2),
    retrieval=dict(grid=(12, 24), top_k=20))
# The 2,975 full-resolution fine train images (not the five crops).
train_dataloader = dict(
    _delete_=True,
    batch_size=4, num_workers=4, persistent_workers=True, drop_last=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='Cityscapes27Dataset', data_root='${data_root}', split='train',
                 pipeline='${hsg_train_pipeline}'))
memory_dataloader = dict(
    batch_size=8, num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='Cityscapes27Dataset', data_root='${data_root}', split='train',
                 pipeline='${test_pipeline}'))
test_evaluator = '${hsg_evaluators}'
val_evaluator = test_evaluator
max_iters = 38000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters + 1)
optim_wrapper = dict(embedding_network=dict(paramwise_cfg=dict(custom_keys=dict(_delete_=True))))
default_hooks = dict(checkpoint=dict(interval=5000))
