# STEGO model shared by every configs/stego/*: frozen DINO -> ProjectionHead (Dropout2d 0.1,
# linear + conv-ReLU-conv, summed) -> code; STEGOCorrelationLoss trains the head; cluster probe and
# linear probe on the detached code, each with its own Adam (head 5e-4, probes 5e-3: the runtime
# default). 5000 iterations = the paper's 5000 steps (one step of every optimiser per iteration).
# Leaves add a dataset and a backbone base, set the code dim and loss weights/shifts and wrap the
# train set in KNNPairDataset (the KNN table of `knn`: `useg precompute CONFIG`).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
    '../_base_/schedules/iter_schedule.py'
]
custom_imports = dict(imports=['useg_stego'], allow_failed_imports=False)
model = dict(
    type='STEGOSegmentor',
    backbone_precision='auto',  # frozen passes in bf16 where the device has bf16 units
    backbone='${backbone}',  # the leaf's backbone base
    head=dict(_delete_=True, type='ProjectionHead', channels='${code_dim}', dropout=0.1,
              linear=True, nonlinear=True, activation=dict(type='ReLU')),
    feature_dropout=True,
    correlation_loss=dict(type='STEGOCorrelationLoss', feature_samples=11, neg_samples=5,
                          pointwise=True, zero_clamp=True, stabilize=False),
    test_cfg=dict(flip=True, alpha=2.0, crf=True))
# KNN table under <work_dir>/cache/knn (or $USEG_CACHE/knn): `useg precompute CONFIG`
precomputes = ['knn']
knn = dict(backbone='${backbone}', topk=30)
train_cfg = dict(max_iters=5000, val_interval=100)
