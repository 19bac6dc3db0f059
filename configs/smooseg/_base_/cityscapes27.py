# SmooSeg on Cityscapes-27: batch 32, 3000 iterations, shifts (-0.02, 0.5), seed 0.
# Train: five crops at crop_size (224); validation every 400 iterations at crop_size; test at
# eval_size (320) with flip + CRF. A leaf adds a backbone base.
_base_ = ['../../_base_/default_runtime.py', '../../_base_/datasets/cityscapes27.py', './smooseg.py']
model = dict(loss=dict(pos_intra_shift=-0.02, neg_inter_shift=0.5))
randomness = dict(seed=0)
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32, dataset=dict(pipeline='${train_pipeline}'))  # at crop_size
