# CAUSE-MLP, DINO ViT-S/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 27.9 / 66.8 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_mlp_dino_vits8_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dino_vits8_coco.py                   # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dino_vits8_coco.py work_dirs/cause_mlp_dino_vits8_coco/iter_11634.pth
# One reference epoch = 3878 iterations (248,145 five-crops / 4 GPUs / 16); stage 2 = 2 epochs, stage 3 =
# 1 epoch. Global batch 64 (4 GPUs x 16) at lr 4e-3 = 1e-3 x 64 / 16:
# scale lr with the global batch. Train at 224 px (784 tokens); clusterbook and test at 320 px.
# The reference built DINO ViT-S with 12 heads (plugin README); useg uses DINO's 6. For the
# reference's features: model.backbone.arch=dict(img_size=224, patch_size=8, embed_dim=384,
# depth=12, num_heads=12) with the same weights file.
_base_ = ['./cause_base.py', '../_base_/datasets/cocostuff27.py']
num_classes = 27
crop_pipeline = [  # 320 px centre crops (clusterbook)
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=320, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=320),
    dict(type='PackSegInputs'),
]
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    num_classes=num_classes,
    head=dict(structure='mlp', in_channels=384),
    head_iters=7756,
    cluster_probe=dict(num_clusters=num_classes),
    linear_probe=dict(num_classes=num_classes))
clusterbook = dict(pipeline=crop_pipeline)
train_dataloader = dict(batch_size=16)  # the dataset's 224 px pipeline
# clipping of head + projection: COCO-Stuff-27 MLP max-norm 0.1; weight decay 0.0001
optim_wrapper = dict(
    student=dict(optimizer=dict(weight_decay=0.0001), clip_grad=dict(max_norm=0.1)),
    linear_probe=dict(optimizer=dict(weight_decay=0.0001)))
train_cfg = dict(max_iters=11634, val_interval=3878)
default_hooks = dict(checkpoint=dict(interval=3878))
