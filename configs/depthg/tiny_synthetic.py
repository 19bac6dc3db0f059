# DepthG on the generated synthetic scenes with a random-weight tiny ViT: the end-to-end smoke test.
# The depth follows the scene layout (far at the top, one offset per class), written from the label
# maps next to the images as <stem>_depth.npy by the `depth` precompute step.
#   python tools/make_synthetic_dataset.py data/synthetic
#   useg precompute configs/depthg/tiny_synthetic.py      (KNN table + depth maps)
#   python tools/train.py configs/depthg/tiny_synthetic.py
_base_ = ['./depthg_base.py', '../_base_/datasets/synthetic.py',
          '../_base_/models/backbones/vit_tiny_p8.py']
code_dim = 16
depth_suffix = '_depth.npy'
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(
    backbone_precision='fp32',
    correlation_loss=dict(pos_intra_weight=0.58, pos_inter_weight=0.36, neg_inter_weight=0.7,
                          pos_intra_shift=0.07, pos_inter_shift=0.025, neg_inter_shift=0.761,
                          depth_weight=0.19, depth_shift=0.03, feature_samples=5, neg_samples=2),
    schedule=dict(depth_decay=True, depth_decay_every=5, depth_decay_factor=0.6),
    test_cfg=dict(flip=True, crf=True, crf_workers=1))
depth_maps = dict(layout=True)
train_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='LoadDepthMap', scale='${depth_scale}', depth_root='${depth_root}',
         suffix='${depth_suffix}'),
    dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
    dict(type='PackSegInputs'),
]
# the depth check, then k-means++ on the code before and after training (ClusterKMeansHook)
custom_hooks = [dict(type='DepthMapsHook'), dict(type='ClusterKMeansHook')]
# the KNN table is extracted without the depth (it is written after the table)
knn = dict(topk=5, pipeline={{_base_.train_pipeline}})
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=3))
train_cfg = dict(max_iters=10, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
# linear probe at 5e-2 (the baseline's): in a 10-iteration schedule the paper rate leaves the probe near
# its random start, below chance on a low-norm code (STEGO: 0.6 % Acc); tiny configs only
optim_wrapper = dict(linear_probe=dict(optimizer=dict(lr=5e-2)))
