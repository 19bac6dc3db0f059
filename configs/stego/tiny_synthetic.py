# STEGO on the generated synthetic scenes with a random-weight tiny ViT: the end-to-end smoke test.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/precompute.py configs/stego/tiny_synthetic.py
#   python tools/train.py configs/stego/tiny_synthetic.py
_base_ = ['./stego_base.py', '../_base_/datasets/synthetic.py',
          '../_base_/models/backbones/vit_tiny_p8.py']
code_dim = 16
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(
    backbone_precision='fp32',
    correlation_loss=dict(pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63,
                          pos_intra_shift=0.08, pos_inter_shift=0.02, neg_inter_shift=0.46,
                          feature_samples=5, neg_samples=2),
    test_cfg=dict(flip=True, crf=True, crf_workers=1))
# cluster probe: k-means++ on the code before and after training (ClusterKMeansHook, useg extension)
custom_hooks = [dict(type='ClusterKMeansHook')]
knn = dict(topk=5)
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=3))
train_cfg = dict(max_iters=10, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
# linear probe at 5e-2 (the baseline's): in a 10-iteration schedule the paper rate leaves the probe near
# its random start, below chance on a low-norm code (STEGO: 0.6 % Acc); tiny configs only
optim_wrapper = dict(linear_probe=dict(optimizer=dict(lr=5e-2)))
