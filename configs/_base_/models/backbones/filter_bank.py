# FilterBankBackbone: deterministic colour (CIE Lab moments) and texture (Gabor energies, local
# contrast) features at stride 8 -- no weights, nothing to download (useg extension; no paper
# uses it). 32 channels (6 colour moments + 2 octaves x (12 Gabor energies + 1 contrast)), exposed
# as the backbone's embed_dim: heads and probes infer their in_channels from it.
backbone = dict(type='FilterBankBackbone', stride=8)
