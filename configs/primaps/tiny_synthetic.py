# PriMaPs-EM on the generated synthetic scenes with a random-weight tiny ViT (CPU smoke test).
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/precompute.py configs/primaps/tiny_synthetic.py
#   python tools/train.py configs/primaps/tiny_synthetic.py
_base_ = ['./primaps_em_base.py', '../_base_/datasets/synthetic.py',
          '../_base_/models/backbones/vit_tiny_p8.py']
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             test_cfg=dict(flip=True, crf=True, crf_workers=1))
pseudo_labels = dict(labeler=dict(crf=False, pca_iterations=10), batch_size=8)
# prototypes start from k-means++ on the codes of the training images instead of the reference's
# PCA + batch-wise gradient k-means (useg extension for small data: see the plugin README)
prototype_init = dict(_delete_=True, type='ClusterKMeansHook', targets=('student', 'teacher'),
                      at_end=False)
teacher_ema = dict(interval=2)
train_dataloader = dict(batch_size=4, dataset=dict(pipeline='${primaps_train_pipeline}'))
train_cfg = dict(max_iters=6, val_interval=6)
default_hooks = dict(logger=dict(interval=2), checkpoint=dict(interval=6))
# linear probe at 5e-2 (the baseline's): in a 6-iteration schedule the paper rate leaves the probe near
# its random start, below chance on a low-norm code; tiny configs only
optim_wrapper = dict(linear_probe=dict(optimizer=dict(lr=5e-2)))
