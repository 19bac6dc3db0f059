# "Baseline" row: frozen DINOv2 ViT-B/14 features + batch-wise cosine k-means prototypes (the
# PriMaPs-EM initialisation), cocostuff27.
#   python tools/train.py configs/primaps/baseline_dinov2_vitb14_coco.py
_base_ = ['../_base_/default_runtime.py', '../_base_/models/feature_clustering.py',
          '../_base_/schedules/iter_schedule.py',
          '../_base_/datasets/cocostuff27.py']
num_classes = 27
crop = 322
iters_per_epoch = 1550  # 49629 training images // batch 32
model = dict(
    backbone=dict(type='DINOViT', arch='dinov2_vitb14',
                  init_cfg=dict(type='Pretrained', checkpoint='dinov2_vitb14_pretrain.pth')),
    num_classes=num_classes,
    cluster_probe=dict(in_channels=768, num_clusters=num_classes),
    linear_probe=dict(in_channels=768, num_classes=num_classes),
    test_cfg=dict(flip=True, crf=True))
optim_wrapper = dict(_delete_=True, constructor='ModuleOptimWrapperConstructor',
                     cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)),
                     linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
]
eval_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=eval_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2 * iters_per_epoch, val_interval=iters_per_epoch)
# PCA initialisation of the k-means prototypes (spec section 5, --pcainit): codes of the first 93
# shuffled training batches, torch.pca_lowrank(q=2K, niter=200); this run is then the k-means.
custom_imports = dict(imports=['useg_primaps'], allow_failed_imports=False)
custom_hooks = [
    dict(type='SafeCheckpointHook'),
    dict(type='PriMaPsPrototypeInitHook', targets=['cluster_probe'], pca_batches=93,
         pca_iterations=200, kmeans_epochs=0),
]
