# PriMaPs-EM (Hahn et al., TMLR 2024): frozen backbone -> weight-normed student / EMA teacher
# prototypes trained against per-mask majority votes over cached PriMaPs masks.
# Hyperparameters of the released run (plugins/primaps/README.md): batch 32, Adam 5e-3 for the
# student and the linear probe, focal gamma 2.0, EMA every 10 steps with decay
# min(1 - 1/k, 0.98), PriMaPs threshold 0.4, student photometric augmentation on.
# A leaf adds ./_base_/<dataset>.py and a backbone base and sets crop_size.
_base_ = ['../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
          '../_base_/schedules/iter_schedule.py', './_base_/pipelines.py']
custom_imports = dict(imports=['useg_primaps'], allow_failed_imports=False)
model = dict(
    _delete_=True,
    type='PriMaPsEMSegmentor',
    backbone_precision='auto',  # frozen passes in bf16 where the device has bf16 units
    data_preprocessor={{_base_.data_preprocessor}},
    backbone='${backbone}',
    num_classes='${num_classes}',
    student=dict(type='WeightNormPrototypes', num_classes='${num_classes}'),
    linear_probe=dict(type='LinearProbe', num_classes='${num_classes}'),
    focal_gamma=2.0,
    student_augment=True,
    test_cfg=dict(flip=True, crf=True))
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    student=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)),
    linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
primaps_train_pipeline = '${em_train_pipeline}'
# PriMaPs masks of the central crop of every training image (python tools/precompute.py;
# stored under <work_dir>/cache/pseudo_labels, or $USEG_CACHE/pseudo_labels)
precomputes = ['pseudo_labels']  # `useg precompute CONFIG` fills the cache below
pseudo_labels = dict(
    labeler=dict(type='PriMaPsPseudoLabeler', threshold=0.4, crf=True),
    batch_size=32,
    pipeline=[
        dict(type='${image_loader}'),
        dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='bilinear'),
        dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
        dict(type='PackSegInputs'),
    ])
# Prototype initialisation before training: PCA (q = 2K, niter 200) of the codes of the first 93
# shuffled training batches (centre crops: no pseudo labels, no flip), then 2 epochs of
# batch-wise cosine k-means (Adam 5e-3), copied into student and teacher. Skipped on resume.
prototype_init = dict(type='PriMaPsPrototypeInitHook', pca_batches=93, pca_iterations=200,
                      kmeans_epochs=2, kmeans_lr=5e-3,
                      drop_transforms=['LoadPseudoLabel', 'RandomFlip'])
teacher_ema = dict(type='PriMaPsTeacherEMAHook', interval=10, max_decay=0.98)
# read through variables so a config that starts from another method's head overrides one line
custom_hooks = ['${prototype_init}', '${teacher_ema}']
# 50 epochs (em_iters of the dataset base); validation once per epoch.
train_cfg = dict(type='IterBasedTrainLoop', max_iters='${em_iters}', val_interval='${iters_per_epoch}')
