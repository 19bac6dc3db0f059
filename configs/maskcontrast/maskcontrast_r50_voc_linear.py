# Linear probe (LC) on a pretrained MaskContrast model: segmentation/configs/linear_finetune/.
# The whole encoder is frozen and in eval mode; a 1x1 conv 256 -> 21 (N(0, 0.01), zero bias) on the
# decoder features is trained on trainaug: SGD lr 0.1, momentum 0.9, wd 1e-4, batch 16, 60 epochs,
# x0.1 after epoch 25. Set load_from to the pretraining checkpoint. test_cfg.crf adds LC + CRF.
_base_ = ['./maskcontrast_r50_voc_unsup_saliency.py']
paper_results = 'maskcontrast/r50_unsup_saliency/voc'  # its LC column

data_root = 'data/PASCAL_VOC'
num_classes = 21
load_from = 'work_dirs/maskcontrast_r50_voc_unsup_saliency/epoch_40.pth'

model = dict(
    backbone=dict(init_cfg=None),
    freeze_encoder=True,
    linear_probe=dict(type='LinearProbe', in_channels=256, num_classes=num_classes,
                      init_cfg=dict(type='Normal', layer='Conv2d', std=0.01, bias=0)),
    test_cfg=dict(crf=False))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='ScaleAndRotate', rotation=(-5, 5), scale=(0.75, 1.25)),
    dict(type='Resize', scale=(512, 512), keep_ratio=False, interpolation='bicubic'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=16, num_workers=4, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    _delete_=True, batch_size=8, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='PascalVOCDataset', data_root=data_root,
                 data_prefix=dict(img_path='images', seg_map_path='SegmentationClass'),
                 ann_file='sets/val.txt', pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='HungarianMetric', mode='linear', pred_key='linear_pred_sem_seg', prefix='linear'),
    dict(type='HungarianMetric', mode='linear', pred_key='crf_linear_pred_sem_seg',
         prefix='crf_linear'),
]
test_evaluator = val_evaluator
val_cfg = dict(_delete_=True, type='ValLoop')

train_cfg = dict(max_epochs=60, val_interval=1)
optim_wrapper = dict(optimizer=dict(lr=0.1))
# x0.1 once epoch > 25 (0-based): mmengine decays from the milestone epoch on.
param_scheduler = [dict(type='MultiStepLR', milestones=[26], gamma=0.1, by_epoch=True)]
custom_hooks = []
# The reference keeps the epoch with the best val mIoU (optimistic); so does this.
default_hooks = dict(checkpoint=dict(save_best='linear/mIoU', rule='greater'))
