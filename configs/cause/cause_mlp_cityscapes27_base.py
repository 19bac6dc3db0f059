# CAUSE-MLP on Cityscapes-27: schedule and clipping shared by its backbone configs.
# One reference epoch = 233 iterations (14,875 five-crops / 4 GPUs / 16); stage 2 = 2 epochs,
# stage 3 = 1 epoch. Clipping of head + projection: max-norm 1.0; weight decay 0. MLP training
# uses the dataset's crop_size (224) crops; clusterbook and test eval_size (320).
_base_ = ['./cause_base.py', '../_base_/datasets/cityscapes27.py']
model = dict(head=dict(structure='mlp'), head_iters=466)
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0), clip_grad=dict(max_norm=1.0)),
    linear_probe=dict(optimizer=dict(weight_decay=0)))
train_cfg = dict(max_iters=699, val_interval=233)
default_hooks = dict(checkpoint=dict(interval=233))
