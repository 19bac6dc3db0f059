# SmooSeg, DINO ViT-B/8, Potsdam-3: batch 32, 3000 iterations, shifts (0.1, 0.5), seed 0.
# Uncropped tiles at 224 for training, validation and test (test with flip + CRF).
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/potsdam3.py',
          '../_base_/models/backbones/dino_vitb8.py', './_base_/smooseg.py']
model = dict(loss=dict(pos_intra_shift=0.1, neg_inter_shift=0.5))
randomness = dict(seed=0)
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32, dataset=dict(pipeline='${train_pipeline}'))  # at 224
test_dataloader = dict(dataset=dict(pipeline='${train_pipeline}'))
