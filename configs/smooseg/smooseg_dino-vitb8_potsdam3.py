# SmooSeg, DINO ViT-B/8, Potsdam-3: batch 32, 3000 iterations, shifts (0.1, 0.5), seed 0.
# Uncropped tiles at 224 for training, validation and test (test with flip + CRF).
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/potsdam3.py',
          './_base_/smooseg.py']

num_classes = 3
model = dict(
    backbone=dict(arch='dino_vitb8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth')),
    num_classes=num_classes,
    head=dict(in_channels=768),
    prototypes=dict(num_clusters=num_classes),
    loss=dict(pos_intra_shift=0.1, neg_inter_shift=0.5))
randomness = dict(seed=0)

eval_pipeline = [
    dict(type='LoadMatImageFromFile'),
    dict(type='LoadMatAnnotations'),
    dict(type='PILResizeShortSide', scale=224, interpolation='nearest'),
    dict(type='TorchvisionCenterCrop', crop_size=224),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32, dataset=dict(pipeline=eval_pipeline))
test_dataloader = dict(dataset=dict(pipeline=eval_pipeline))
