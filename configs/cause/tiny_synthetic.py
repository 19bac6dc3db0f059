# CAUSE-TR on the generated synthetic scenes with a random-weight tiny ViT: all stages on the CPU.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/precompute_clusterbook.py configs/cause/tiny_synthetic.py   # stage 1
#   python tools/train.py configs/cause/tiny_synthetic.py                    # stages 2 and 3
#   python tools/test.py configs/cause/tiny_synthetic.py work_dirs/tiny_synthetic/iter_10.pth
_base_ = ['./cause_base.py', '../_base_/datasets/synthetic.py']
num_classes = {{_base_.num_classes}}
size = 96  # 12 x 12 tokens at patch 8 -> 3 x 3 grid-sampled tokens per image
code_dim = 16
pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=size, interpolation='bilinear'),
    dict(type='CenterCrop', crop_size=size),
    dict(type='PackSegInputs'),
]
model = dict(
    backbone=dict(type='DINOViT', arch='vit_tiny_p8', init_cfg=None),  # random weights
    num_classes=num_classes,
    head=dict(structure='tr', in_channels=48, channels=code_dim, num_tokens=(size // 8) ** 2,
              ffn_channels=64),
    projection_channels=32,
    num_codebook=16,
    head_iters=5,  # stage 2: iterations 1-5, stage 3: 6-10
    cluster_probe=dict(in_channels=code_dim, num_clusters=num_classes),
    linear_probe=dict(in_channels=code_dim, num_classes=num_classes),
    test_cfg=dict(crf=False))
clusterbook = dict(cache_dir='data/cause_clusterbook', num_codebook=16, batch_size=4,
                   pipeline=pipeline, save_interval=2)
train_dataloader = dict(dataset=dict(pipeline=pipeline))
val_dataloader = dict(dataset=dict(pipeline=pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=10, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=5))
