# Quickstart on meaningful features with no download: the core clustering baseline (cluster and
# linear probes) on FilterBankBackbone (Lab colour moments + Gabor texture energies, stride 8)
# instead of a random-weight ViT. Useg extension.
#   python tools/make_synthetic_dataset.py data/synthetic
#   python tools/kmeans_baseline.py configs/baseline/tiny_synthetic_filter_bank.py
#   python tools/train.py configs/baseline/tiny_synthetic_filter_bank.py
_base_ = ['./tiny_synthetic.py', '../_base_/models/backbones/filter_bank.py']
channels = {{_base_.filter_bank_channels}}
model = dict(backbone=dict(_delete_=True, type='FilterBankBackbone', stride=8),
             cluster_probe=dict(in_channels=channels), linear_probe=dict(in_channels=channels))
