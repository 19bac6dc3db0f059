# SmooSeg, DINO ViT-S/8, COCO-Stuff-27: batch 32, 3000 iterations, shifts (-0.02, 0.48),
# seed 123456. Train: five crops at 224; validation every 400 iterations at 224; test at 320
# with flip + CRF.
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/cocostuff27.py',
          '../_base_/models/backbones/dino_vits8_300ep.py', './_base_/smooseg.py']
model = dict(loss=dict(pos_intra_shift=-0.02, neg_inter_shift=0.48))
randomness = dict(seed=123456)
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32, dataset=dict(pipeline='${train_pipeline}'))  # at 224
