# SmooSeg on Potsdam-3: batch 32, 3000 iterations, shifts (0.1, 0.5), seed 0.
# Uncropped tiles at crop_size (224) for training, validation and test (test with flip + CRF).
# A leaf adds a backbone base.
_base_ = ['../../_base_/default_runtime.py', '../../_base_/datasets/potsdam3.py', './smooseg.py']
model = dict(loss=dict(pos_intra_shift=0.1, neg_inter_shift=0.5))
randomness = dict(seed=0)
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32, dataset=dict(pipeline='${train_pipeline}'))  # at crop_size
test_dataloader = dict(dataset=dict(pipeline='${train_pipeline}'))
