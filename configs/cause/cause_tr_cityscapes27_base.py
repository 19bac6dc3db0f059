# CAUSE-TR on Cityscapes-27: schedule and clipping shared by its backbone configs.
# One reference epoch = 233 iterations (14,875 five-crops / 4 GPUs / 16); stage 2 = 2 epochs,
# stage 3 = 5 epochs with the probe lr halved every 2 epochs (reference StepLR). Clipping of
# head + projection: max-norm 1.0; weight decay 0. The clusterbook, TR training and the test use
# the eval_size (320 px) centre crops.
_base_ = ['./cause_base.py', '../_base_/datasets/cityscapes27.py']
crop_size = '${eval_size}'
model = dict(head=dict(structure='tr'), head_iters=466)
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0), clip_grad=dict(max_norm=1.0)),
    linear_probe=dict(optimizer=dict(weight_decay=0)))
probe_lr = [dict(type='MultiStepLR', by_epoch=False, milestones=[932, 1398], gamma=0.5)]
param_scheduler = dict(cluster_probe=probe_lr, linear_probe=probe_lr)
train_cfg = dict(max_iters=1631, val_interval=233)
default_hooks = dict(checkpoint=dict(interval=233))
