# PriMaPs on potsdam3: batch 32 (4545 training images // 32 = 142 iterations per epoch), evaluation
# batch 16; PriMaPs-EM trains 50 epochs, the k-means baseline 2.
_base_ = ['../../_base_/datasets/potsdam3.py']
iters_per_epoch = 142
em_iters = 50 * iters_per_epoch
baseline_iters = 2 * iters_per_epoch
train_dataloader = dict(batch_size=32, dataset=dict(pipeline='${primaps_train_pipeline}'))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline='${eval_pipeline}'))
test_dataloader = val_dataloader
