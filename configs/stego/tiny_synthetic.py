# STEGO on the generated synthetic scenes with a random-weight tiny ViT: the end-to-end smoke test.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/precompute_knn.py configs/stego/tiny_synthetic.py
#   python tools/train.py configs/stego/tiny_synthetic.py
_base_ = ['./stego_base.py', '../_base_/datasets/synthetic.py']
num_classes = {{_base_.num_classes}}
code_dim = 16
backbone = dict(type='DINOViT', arch='vit_tiny_p8', init_cfg=None)  # random weights: no download
model = dict(
    backbone=backbone,
    num_classes=num_classes,
    head=dict(in_channels=48, channels=code_dim),
    correlation_loss=dict(pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63,
                          pos_intra_shift=0.08, pos_inter_shift=0.02, neg_inter_shift=0.46,
                          feature_samples=5, neg_samples=2),
    cluster_probe=dict(in_channels=code_dim, num_clusters=num_classes),
    linear_probe=dict(in_channels=code_dim, num_classes=num_classes),
    test_cfg=dict(flip=True, crf=False))
knn = dict(cache_dir='data/knn', backbone=backbone, topk=5)
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset',
                                     dataset={{_base_.train_dataloader.dataset}}, knn=knn,
                                     num_neighbors=3))
train_cfg = dict(max_iters=10, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
