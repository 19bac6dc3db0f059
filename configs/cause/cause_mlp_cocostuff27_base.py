# CAUSE-MLP on COCO-Stuff-27: schedule and clipping shared by its backbone configs.
# One reference epoch = 3878 iterations (248,145 five-crops / 4 GPUs / 16); stage 2 = 2 epochs,
# stage 3 = 1 epoch. Clipping of head + projection: max-norm 0.1; weight decay 0.0001. MLP
# training uses the dataset's crop_size (224) crops; clusterbook and test eval_size (320).
_base_ = ['./cause_base.py', '../_base_/datasets/cocostuff27.py']
model = dict(head=dict(structure='mlp'), head_iters=7756)
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0.0001), clip_grad=dict(max_norm=0.1)),
    linear_probe=dict(optimizer=dict(weight_decay=0.0001)))
train_cfg = dict(max_iters=11634, val_interval=3878)
default_hooks = dict(checkpoint=dict(interval=3878))
