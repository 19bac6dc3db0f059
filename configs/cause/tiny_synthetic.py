# CAUSE-TR on the generated synthetic scenes with a random-weight tiny ViT: all stages on the CPU.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/precompute.py configs/cause/tiny_synthetic.py   # stage 1
#   python tools/train.py configs/cause/tiny_synthetic.py                    # stages 2 and 3
#   python tools/test.py configs/cause/tiny_synthetic.py work_dirs/tiny_synthetic/iter_10.pth
_base_ = ['./cause_base.py', '../_base_/datasets/synthetic.py',
          '../_base_/models/backbones/vit_tiny_p8.py']
crop_size = 96  # 12 x 12 tokens at patch 8 -> 3 x 3 grid-sampled tokens per image
eval_size = '${crop_size}'  # the clusterbook's resolution
resize_interpolation = 'bilinear'
num_tokens = 144  # (96 / 8)^2
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(
    backbone_precision='fp32',
    head=dict(channels=16, ffn_channels=64),
    projection_channels=32,
    num_codebook=16,
    head_iters=5,  # stage 2: iterations 1-5, stage 3: 6-10
    test_cfg=dict(crf=True, crf_workers=1))
# cluster probe: k-means++ on the code before and after training (ClusterKMeansHook, useg extension)
custom_hooks = [dict(type='ClusterbookHook'), dict(type='ConceptBankCheckpointHook'),
                dict(type='ClusterKMeansHook')]
clusterbook = dict(num_codebook=16, batch_size=4, save_interval=2)
train_cfg = dict(max_iters=10, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=5))
# linear probe at 5e-2 (the baseline's): in a 10-iteration schedule the paper rate leaves the probe near
# its random start, below chance on a low-norm code (STEGO: 0.6 % Acc); tiny configs only
optim_wrapper = dict(linear_probe=dict(optimizer=dict(lr=5e-2)))
