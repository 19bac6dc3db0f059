# HP on the generated synthetic scenes with a random-weight tiny ViT: the end-to-end smoke test
# (small pools so that building and refreshing them is cheap).
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/train.py configs/hp/tiny_synthetic.py
_base_ = ['./hp_base.py', '../_base_/datasets/synthetic.py',
          '../_base_/models/backbones/vit_tiny_p8.py']
code_dim = 16
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             hidden_positive_loss=dict(temperature=0.6), pool_size=8, renew_interval=2,
             warmup=2, test_cfg=dict(crf=True, crf_workers=1))
custom_hooks = [dict(type='HPReferencePoolHook'), dict(type='ClusterKMeansHook')]
train_cfg = dict(max_iters=10, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
# linear probe at 5e-2 (the baseline's): in a 10-iteration schedule the paper rate leaves the probe near
# its random start, below chance on a low-norm code (STEGO: 0.6 % Acc); tiny configs only
optim_wrapper = dict(linear_probe=dict(optimizer=dict(lr=5e-2)))
