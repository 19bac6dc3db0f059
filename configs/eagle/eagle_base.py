# EAGLE model shared by every configs/eagle/*: frozen DINO -> attention keys of the last three
# blocks (3C channels) -> ProjectionHead (Dropout2d 0.1, linear + conv-ReLU-conv) -> code (512);
# EAGLECorrelationLoss, then (after `schedule.start` iterations) the EiCue-guided
# ObjectContrastiveLoss through `projector`; two eigen probes on EiCue; cluster probe with extra
# clusters (`num_clusters`, set by the dataset base) and linear probe on the detached code.
# Seven Adam optimisers of the reference, one step each per iteration (the unused
# `learned_centroids` one is dropped). Leaves add a dataset and a backbone base and set
# `key_channels` (3 x the backbone width).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
    '../_base_/schedules/iter_schedule.py'
]
custom_imports = dict(imports=['useg_eagle'], allow_failed_imports=False)
code_dim = 512
model = dict(
    type='EAGLESegmentor',
    backbone_precision='auto',  # frozen passes in bf16 where the device has bf16 units
    backbone='${backbone}',  # the leaf's backbone base
    head=dict(_delete_=True, type='ProjectionHead', in_channels='${key_channels}',
              channels='${code_dim}', dropout=0.1, linear=True, nonlinear=True,
              activation=dict(type='ReLU')),
    cluster_probe=dict(type='ClusterProbe', num_clusters='${num_clusters}'),
    correlation_loss=dict(type='EAGLECorrelationLoss', pos_inter_weight=0.25,
                          neg_inter_weight=0.63, shift_bias=0.0, shift_value=3.5,
                          feature_samples=11, neg_samples=5, pointwise=True, zero_clamp=True,
                          stabilize=True),
    object_loss=dict(type='ObjectContrastiveLoss', temperature=0.07, global_weight=0.7,
                     label_smoothing=0.0),
    key_blocks=(-3, -2, -1), num_eigenvectors=4, eigen_clusters=32, object_weights=(0.85, 0.85),
    schedule=dict(start=200, limit=0.9), color_source='rgb',
    test_cfg=dict(flip=True, alpha=4.0, crf=True))
optim_wrapper = dict(
    head=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4)),
    projector=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4)),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)),
    linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3)),
    eigen_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-5)),
    eigen_probe_aug=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-5)))
train_cfg = dict(max_iters=10000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
