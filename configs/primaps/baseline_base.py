# "Baseline" row of the PriMaPs tables: frozen backbone features + batch-wise cosine k-means
# prototypes (the PriMaPs-EM initialisation): PCA initialisation of the k-means prototypes
# (--pcainit: codes of the first 93 shuffled training batches, torch.pca_lowrank(q=2K,
# niter=200)), then this run (2 epochs) is the k-means. A leaf adds ./_base_/<dataset>.py and a
# backbone base and sets crop_size.
_base_ = ['../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
          '../_base_/schedules/iter_schedule.py', './_base_/pipelines.py']
custom_imports = dict(imports=['useg_primaps'], allow_failed_imports=False)
model = dict(backbone='${backbone}', test_cfg=dict(flip=True, crf=True))
optim_wrapper = dict(_delete_=True, constructor='ModuleOptimWrapperConstructor',
                     cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)),
                     linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
primaps_train_pipeline = '${eval_pipeline}'
custom_hooks = [dict(type='PriMaPsPrototypeInitHook', targets=['cluster_probe'], pca_batches=93,
                     pca_iterations=200, kmeans_epochs=0)]
train_cfg = dict(max_iters='${baseline_iters}', val_interval='${iters_per_epoch}')
