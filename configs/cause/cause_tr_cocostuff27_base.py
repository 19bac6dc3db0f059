# CAUSE-TR on COCO-Stuff-27: schedule and clipping shared by its backbone configs.
# One reference epoch = 3878 iterations (248,145 five-crops / 4 GPUs / 16); stage 2 = 2 epochs,
# stage 3 = 5 epochs with the probe lr halved every 2 epochs (reference StepLR, milestones as
# fractions of the run). Clipping of head + projection: max-norm 2.0; weight decay 0.0001.
# The clusterbook, TR training and the test use the eval_size (320 px) centre crops.
_base_ = ['./cause_base.py', '../_base_/datasets/cocostuff27.py']
crop_size = '${eval_size}'
model = dict(head=dict(structure='tr'), head_iters=7756)
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0.0001), clip_grad=dict(max_norm=2.0)),
    linear_probe=dict(optimizer=dict(weight_decay=0.0001)))
probe_lr = [dict(type='MultiStepLR', by_epoch=False, milestones=[15512, 23268], gamma=0.5)]
param_scheduler = dict(cluster_probe=probe_lr, linear_probe=probe_lr)
train_cfg = dict(max_iters=27146, val_interval=3878)
default_hooks = dict(checkpoint=dict(interval=3878))
