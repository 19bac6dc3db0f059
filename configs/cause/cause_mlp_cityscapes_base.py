# CAUSE-MLP on Cityscapes-27: schedule, clipping and pipelines shared by its backbone configs.
# One reference epoch = 233 iterations (14,875 five-crops / 4 GPUs / 16); stage 2 = 2 epochs, stage 3 =
# 1 epoch. Global batch 64 (4 GPUs x 16) at lr 4e-3
# = 1e-3 x 64 / 16 (scale lr with the global batch); 1 GPU x 16 at 4e-3 for the same iterations is
# the reference's effective run (plugin README). Clipping of head + projection: max-norm 1.0;
# weight decay 0. The clusterbook and the test use the 320 px centre crops
# (patch-14 configs switch to 322); MLP training uses the dataset's 224 px crops.
_base_ = ['./cause_base.py', '../_base_/datasets/cityscapes27.py']
num_classes = 27
model = dict(
    head=dict(structure='mlp'),
    head_iters=466,
    cluster_probe=dict(num_clusters=num_classes),
    linear_probe=dict(num_classes=num_classes))
clusterbook = dict(pipeline={{_base_.test_pipeline}})
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0), clip_grad=dict(max_norm=1.0)),
    linear_probe=dict(optimizer=dict(weight_decay=0)))
train_cfg = dict(max_iters=699, val_interval=233)
default_hooks = dict(checkpoint=dict(interval=233))
