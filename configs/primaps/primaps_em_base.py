# PriMaPs-EM (Hahn et al., TMLR 2024): frozen backbone -> weight-normed student / EMA teacher
# prototypes trained against per-mask majority votes over cached PriMaPs masks.
# Hyperparameters of the released run (plugins/primaps/README.md): batch 32, Adam 5e-3 for the
# student and the linear probe, focal gamma 2.0, EMA every 10 steps with decay
# min(1 - 1/k, 0.98), PriMaPs threshold 0.4, student photometric augmentation on.
# primaps_em_patch{8,14}_base.py add the crop (320 / 322), pseudo-label settings and pipelines;
# each backbone x dataset config adds the dataset.
_base_ = ['../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
          '../_base_/schedules/iter_schedule.py']
custom_imports = dict(imports=['useg_primaps'], allow_failed_imports=False)
model = dict(
    _delete_=True,
    type='PriMaPsEMSegmentor',
    data_preprocessor={{_base_.data_preprocessor}},
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    num_classes=27,
    student=dict(type='WeightNormPrototypes', in_channels=384, num_classes=27),
    linear_probe=dict(type='LinearProbe', in_channels=384, num_classes=27),
    focal_gamma=2.0,
    student_augment=True,
    test_cfg=dict(flip=True, crf=True))
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    student=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)),
    linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
# Prototype initialisation before training (spec section 5): PCA (q = 2K, niter 200) of the codes of
# the first 93 shuffled training batches (centre crops: no pseudo labels, no flip), then 2 epochs of
# batch-wise cosine k-means (Adam 5e-3), copied into student and teacher. Skipped on resume.
prototype_init = dict(type='PriMaPsPrototypeInitHook', pca_batches=93, pca_iterations=200,
                      kmeans_epochs=2, kmeans_lr=5e-3,
                      drop_transforms=['LoadPseudoLabel', 'RandomFlip'])
custom_hooks = [
    dict(type='SafeCheckpointHook'),
    prototype_init,
    dict(type='PriMaPsTeacherEMAHook', interval=10, max_decay=0.98),
]
# 50 epochs of 92 batches on Cityscapes (2975 // 32); dataset configs override max_iters.
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4600, val_interval=92)
