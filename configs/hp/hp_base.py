# HP model shared by every configs/hp/*: frozen DINO -> ProjectionHead (Dropout2d 0.1, linear +
# conv-ReLU-conv) -> code; EMA copy of the head, Linear(D, D) projector; HiddenPositiveLoss (+ the
# consistency term) trains head and projector; cluster / linear probes on the detached code.
# Optimisers as the reference: head AdamW 5e-4 (wd 0.1, grad norm 10), projector Adam 5e-4,
# linear Adam 1e-3, cluster Adam 5e-3. HPReferencePoolHook builds the pools before training and
# refreshes the code pool every renew_interval iterations of an epoch. Leaves set the dataset,
# backbone, code dim and the per-dataset keys of specs/hp.md section 9.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
    '../_base_/schedules/iter_schedule.py'
]
custom_imports = dict(imports=['useg_hp'], allow_failed_imports=False)
model = dict(
    type='HPSegmentor',
    backbone_precision='auto',  # frozen passes in bf16 where the device has bf16 units
    backbone='${backbone}',
    head=dict(_delete_=True, type='ProjectionHead', channels='${code_dim}', dropout=0.1,
              linear=True, nonlinear=True, activation=dict(type='ReLU')),
    hidden_positive_loss=dict(type='HiddenPositiveLoss', temperature=0.8, rho=0.02,
                              reweighting=True),
    consistency_weight=0.05, ema_momentum=0.99, pool_size=2048, renew_interval=100,
    warmup=1000, sigma=28.0,
    test_cfg=dict(flip=False, alpha=2.0, crf=True))
optim_wrapper = dict(
    head=dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.1),
              clip_grad=dict(max_norm=10)),
    projector=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4)),
    linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3)),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
custom_hooks = [dict(type='HPReferencePoolHook')]
