# MaskContrast pretraining with the supervised saliency masks (BASNet): pretrain/configs/
# VOCSegmentation_supervised_saliency_model.yml. ImageNet-supervised torchvision init; stem,
# layer1 and layer2 frozen (eval mode, no gradient) in both encoders; batch 64, queue 128.
_base_ = ['./maskcontrast_r50_voc_unsup_saliency.py']
paper_results = 'maskcontrast/r50_sup_saliency/voc'

data_root = 'data/PASCAL_VOC'
batch_size = 64

model = dict(
    backbone=dict(frozen_stages=2,
                  init_cfg=dict(_delete_=True, type='Pretrained',
                                checkpoint='torchvision://resnet50')),
    queue_size=128)
train_dataloader = dict(
    batch_size=batch_size // 2,
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='LoadSaliencyFromFile', saliency_dir=data_root + '/saliency_supervised_model'),
        dict(type='MaskContrastViews', size='${crop_size}', scale=(0.2, 1.0)),
        dict(type='PackMaskContrastInputs'),
    ]))
auto_scale_lr = dict(base_batch_size=batch_size)
