# MaskContrast pretraining on PASCAL VOC trainaug with the authors' unsupervised saliency masks
# (DeepUSPS -> BASNet), MoCo v2 (800 ep) initialisation: pretrain/configs/
# VOCSegmentation_unsupervised_saliency_model.yml. Data: the authors' PASCAL_VOC.tgz extracted
# to data/PASCAL_VOC (images/, SegmentationClass/, SegmentationClassAug/, saliency_*_model/, sets/).
# Evaluated here with K-means (21 clusters, 5 seeds) on VOC val.
_base_ = ['../_base_/default_runtime.py', '../_base_/schedules/iter_schedule.py',
          '../_base_/datasets/voc.py', '../_base_/models/imagenet_preprocessor.py']
paper_results = 'maskcontrast/r50_unsup_saliency/voc'
custom_imports = dict(imports=['useg_maskcontrast'], allow_failed_imports=False)

data_root = 'data/PASCAL_VOC'
saliency_dir = data_root + '/saliency_unsupervised_model'
moco_checkpoint = 'checkpoints/moco_v2_800ep_pretrain.pth.tar'  # from facebookresearch/moco
num_classes = 21
batch_size = 128  # global; the reference splits it over 2 GPUs (64 each)
epochs = 40

model = dict(
    type='MaskContrastSegmentor',
    num_classes=num_classes,
    backbone=dict(type='ResNet', depth=50, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4),
                  contract_dilation=True, out_indices=(3, ), style='pytorch',
                  norm_cfg=dict(type='BN', requires_grad=True),
                  init_cfg=dict(type='Pretrained', checkpoint=moco_checkpoint,
                                prefix='module.encoder_q.')),
    head=dict(type='MaskContrastHead', embedding_channels=32,
              decoder=dict(type='DeepLabV3Decoder', in_channels=2048, channels=256,
                           dilations=(12, 24, 36), dropout=0.5)),
    loss=dict(type='MaskContrastLoss', temperature=0.5, saliency_weight=1.0),
    queue_size=256,
    momentum=0.999)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSaliencyFromFile', saliency_dir=saliency_dir),
    dict(type='MaskContrastViews', size='${crop_size}', scale=(0.2, 1.0), jitter=(0.4, 0.4, 0.4, 0.1),
         jitter_prob=0.8, grayscale_prob=0.2),
    dict(type='PackMaskContrastInputs'),
]
# K-means evaluation: eval_size x eval_size (512) inputs (aspect not kept), predictions
# nearest-resized to the GT.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=('${eval_size}', '${eval_size}'), keep_ratio=False,
         interpolation='bicubic'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    _delete_=True, batch_size=batch_size // 2, num_workers=8, persistent_workers=True,
    drop_last=True, sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='PascalVOCDataset', data_root=data_root,
                 data_prefix=dict(img_path='images', seg_map_path='SegmentationClassAug'),
                 ann_file='sets/trainaug.txt', pipeline=train_pipeline))
test_dataloader = dict(
    _delete_=True, batch_size=8, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='PascalVOCDataset', data_root=data_root,
                 data_prefix=dict(img_path='images', seg_map_path='SegmentationClass'),
                 ann_file='sets/val.txt', pipeline=test_pipeline))
test_evaluator = dict(_delete_=True, type='MaskKMeansMetric', num_classes=num_classes,
                      num_clusters=num_classes, pca_components=32,
                      seeds=(1234, 1235, 1236, 1237, 1238))
val_dataloader = val_evaluator = val_cfg = None

train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop', max_epochs=epochs)
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.004, momentum=0.9, weight_decay=1e-4,
                                    nesterov=False))
# lr * (1 - epoch / max_epochs) ** 0.9 for epochs 0..max_epochs - 1, updated once per epoch.
param_scheduler = [dict(type='RunPolyLR', power=0.9, eta_min=0, by_epoch=True)]
custom_hooks = [dict(type='MomentumEncoderHook')]
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=5, max_keep_ckpts=2),
                     logger=dict(interval=25))
log_processor = dict(by_epoch=True)
# 2 GPUs x 64 as the reference; the queue gathers the key prototypes of both.
auto_scale_lr = dict(enable=False, base_batch_size=batch_size)
