# EAGLE on Cityscapes-27: train_config_cityscapes.yml of the reference (27 + 1 extra cluster, 28
# eigen prototypes, S = 28 sampled locations, schedule 380 / 0.7, 6,000 iterations on one GPU).
# A leaf adds a backbone base and sets key_channels.
_base_ = ['../eagle_base.py', '../../_base_/datasets/cityscapes27.py']
num_clusters = 28  # 27 classes + 1 extra cluster (cluster probe and cluster metrics)
model = dict(
    correlation_loss=dict(pos_inter_weight=0.18, neg_inter_weight=1.0, shift_bias=0.11,
                          feature_samples=28),
    eigen_clusters=28, schedule=dict(start=380, limit=0.7))
optim_wrapper = dict(
    cluster_probe=dict(optimizer=dict(lr=3e-3)), linear_probe=dict(optimizer=dict(lr=5e-3)),
    eigen_probe=dict(optimizer=dict(lr=5e-4)), eigen_probe_aug=dict(optimizer=dict(lr=5e-4)))
train_cfg = dict(max_iters=6000)
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=16)
