# primaps tiny config on FilterBankBackbone (Lab colour moments + Gabor texture energies, stride 8,
# no weights) instead of the random-weight tiny ViT: meaningful features, nothing to download.
_base_ = ['./tiny_synthetic.py']
backbone = dict(_delete_=True, type='FilterBankBackbone', stride=8)
