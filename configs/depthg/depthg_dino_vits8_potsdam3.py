# DepthG, DINO ViT-S/8, Potsdam-3 (run 4 of the reference paper_reproduction.sh), clean defaults.
# Potsdam tiles are .mat files: write their depth maps yourself (plugins/depthg/README.md).
#   python tools/precompute.py configs/depthg/depthg_dino_vits8_potsdam3.py
#   python tools/train.py configs/depthg/depthg_dino_vits8_potsdam3.py
# The reference's depth decay has factor 1 (a no-op): off.
_base_ = ['./_base_/potsdam3.py', '../_base_/models/backbones/dino_vits8.py']
code_dim = 90
model = dict(
    correlation_loss=dict(pos_intra_weight=0.61, pos_inter_weight=0.34, neg_inter_weight=0.72,
                          pos_intra_shift=0.2, pos_inter_shift=0.09, neg_inter_shift=0.63,
                          depth_weight=0.13, depth_shift=0.14, feature_samples=11))
# The paper's number for this run could not be read here (plugins/depthg/README.md): no row.
paper_results = None
