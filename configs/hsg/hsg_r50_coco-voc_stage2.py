# HSG stage 2: from the last stage-1 checkpoint, 448 crops, 8 GPUs x 6 images = 48 images,
# 4x4 k-means (15 it.), fine (8) / coarse (4) clustering transformers and every loss.
_base_ = ['./hsg_r50_coco-voc_stage1.py']
crop_size = 448
load_from = 'work_dirs/hsg_r50_coco-voc_stage1/iter_350000.pth'
model = dict(
    kmeans=dict(type='SphericalKMeans', iterations=15, grid=(4, 4)),
    grouping=dict(type='HierarchicalGrouping', fine_clusters=8, coarse_clusters=4, dim=128,
                  token_capacity=256,
                  transformer=dict(heads=4, num_encoder_layers=2, num_decoder_layers=2,
                                   feedforward_dim=256, dropout=0.1)),
    dmon_loss=dict(type='DMoNLoss', knn=2, per_view=True, collapse_num_nodes=256),
    loss_weights=dict(region=1.0, fine=0.1, coarse=0.1, dmon=1.0, centroid=1.0))
train_dataloader = dict(batch_size=6)
max_iters = 20000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters + 1)
optim_wrapper = dict(embedding_network=dict(optimizer=dict(lr=0.008)))
default_hooks = dict(checkpoint=dict(interval=20000))
