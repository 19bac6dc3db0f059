# Quickstart: a random-weight tiny ViT on the generated synthetic scenes; CPU, about a minute.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/train.py configs/baseline/tiny_synthetic.py
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/synthetic.py',
    '../_base_/models/feature_clustering.py', '../_base_/schedules/iter_schedule.py',
    '../_base_/models/backbones/vit_tiny_p8.py'
]
# The cluster probe starts from (and ends as) k-means++ on the code (a useg extension for small
# data, see ClusterKMeansHook); predictions are also CRF-refined (crf_cluster/*), as the papers'.
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             backbone={{_base_.backbone}}, test_cfg=dict(flip=False, crf=True, crf_workers=1))
custom_hooks = [dict(type='ClusterKMeansHook')]
train_cfg = dict(max_iters=60, val_interval=60)
optim_wrapper = dict(_delete_=True, constructor='ModuleOptimWrapperConstructor',
                     cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-2)),
                     linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-2)))
default_hooks = dict(logger=dict(interval=20), checkpoint=dict(interval=60))
