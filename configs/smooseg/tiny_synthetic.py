# SmooSeg on the generated synthetic dataset: random-weight tiny ViT/8, a few iterations on CPU.
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/synthetic.py',
          './_base_/smooseg.py']

num_classes = 4
code_dim = 16
model = dict(
    backbone=dict(arch='vit_tiny_p8', init_cfg=None),
    num_classes=num_classes,
    head=dict(in_channels=48, channels=code_dim),
    prototypes=dict(in_channels=code_dim, num_clusters=num_classes),
    loss=dict(pos_intra_shift=-0.02, neg_inter_shift=0.5),
    test_cfg=dict(crf_workers=1))
train_cfg = dict(max_iters=6, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=6), logger=dict(interval=1))
