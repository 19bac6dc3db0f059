# Quickstart on meaningful features with no download: the core clustering baseline (cluster and
# linear probes) on FilterBankBackbone (Lab colour moments + Gabor texture energies, stride 8)
# instead of a random-weight ViT. Useg extension.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/kmeans_baseline.py configs/baseline/tiny_synthetic_filter_bank.py
#   python tools/train.py configs/baseline/tiny_synthetic_filter_bank.py
_base_ = ['./tiny_synthetic.py']
# The backbone of ../_base_/models/backbones/filter_bank.py replacing the inherited tiny ViT (a
# second base that defines `backbone` would clash); the probes infer their in_channels (32).
backbone = dict(_delete_=True, type='FilterBankBackbone', stride=8)
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             backbone='${backbone}')
