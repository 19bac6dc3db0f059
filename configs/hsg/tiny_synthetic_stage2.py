# HSG stage 2 on the synthetic dataset: initialised from tiny_synthetic.py (set load_from), 2x2
# k-means (5 iterations here, 15 in the paper), clustering transformers and every loss.
_base_ = ['./tiny_synthetic.py']

# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(
    backbone_precision='fp32',
    kmeans=dict(type='SphericalKMeans', iterations=5, grid=(2, 2)),
    grouping=dict(type='HierarchicalGrouping', fine_clusters=8, coarse_clusters=4,
                  dim={{_base_.embedding_dim}}, token_capacity=None,
                  transformer=dict(heads=4, num_encoder_layers=2, num_decoder_layers=2,
                                   feedforward_dim=64, dropout=0.1)),
    dmon_loss=dict(type='DMoNLoss', knn=2, per_view=True, collapse_num_nodes=256),
    loss_weights=dict(region=1.0, fine=0.1, coarse=0.1, dmon=1.0, centroid=1.0))
train_cfg = dict(max_iters=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
