# FilterBankBackbone: deterministic colour (CIE Lab moments) and texture (Gabor energies, local
# contrast) features at stride 8 -- no weights, nothing to download (useg extension; no paper
# uses it). A config switches to it by adding this file to its _base_ list, setting the backbone
# (replacing an inherited one needs _delete_, as mmengine merges dicts):
#   model = dict(backbone=dict(_delete_=True, type='FilterBankBackbone'), ...)
# or model = dict(backbone={{_base_.filter_bank_backbone}}) where nothing is inherited,
# and every in_channels that reads the backbone to {{_base_.filter_bank_channels}}
# (6 colour moments + 2 octaves x (12 Gabor energies + 1 contrast); tests check it).
filter_bank_backbone = dict(type='FilterBankBackbone', stride=8)
filter_bank_channels = 32
