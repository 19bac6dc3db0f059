# PriMaPs-EM, DINO ViT-S/8, cityscapes27 (paper table: "+PriMaPs" row).
#   python tools/precompute_pseudo_labels.py configs/primaps/dino_vits8_cs.py
#   python tools/train.py configs/primaps/dino_vits8_cs.py
#   python tools/test.py configs/primaps/dino_vits8_cs.py CHECKPOINT
_base_ = ['./primaps_em_patch8_base.py', '../_base_/datasets/cityscapes27.py']
num_classes = 27
epochs = 50
iters_per_epoch = 92  # 2975 training images // batch 32
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    num_classes=num_classes,
    student=dict(in_channels=384, num_classes=num_classes),
    linear_probe=dict(in_channels=384, num_classes=num_classes))
train_dataloader = dict(batch_size=32, dataset=dict(pipeline={{_base_.em_train_pipeline}}))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline={{_base_.eval_pipeline}}))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=epochs * iters_per_epoch, val_interval=iters_per_epoch)
