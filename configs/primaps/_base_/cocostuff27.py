# PriMaPs on cocostuff27: batch 32 (49629 training images // 32 = 1550 iterations per epoch), evaluation
# batch 16; PriMaPs-EM trains 50 epochs, the k-means baseline 2.
_base_ = ['../../_base_/datasets/cocostuff27.py']
iters_per_epoch = 1550
em_iters = 50 * iters_per_epoch
baseline_iters = 2 * iters_per_epoch
train_dataloader = dict(batch_size=32, dataset=dict(pipeline='${primaps_train_pipeline}'))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline='${eval_pipeline}'))
test_dataloader = val_dataloader
