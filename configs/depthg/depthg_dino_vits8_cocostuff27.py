# DepthG, DINO ViT-S/8, COCO-Stuff-27 (run 1 of the reference paper_reproduction.sh), clean defaults.
#   useg precompute configs/depthg/depthg_dino_vits8_cocostuff27.py   (KNN table + depth maps)
#   python tools/train.py configs/depthg/depthg_dino_vits8_cocostuff27.py
# Schedule intervals are the reference's Lightning-step ones divided by 3 (iterations).
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vits8.py']
code_dim = 70
model = dict(
    correlation_loss=dict(pos_intra_weight=0.58, pos_inter_weight=0.36,
                          neg_inter_weight=0.7000000000000001, pos_intra_shift=0.07,
                          pos_inter_shift=0.025, neg_inter_shift=0.761, depth_weight=0.19,
                          depth_shift=0.03, feature_samples=11),
    schedule=dict(depth_decay=True, depth_decay_every=83, depth_decay_factor=0.6, sample_decay=True,
                  sample_decay_every=333, sample_decay_factor=0.9))
# The paper's number for this run could not be read here (plugins/depthg/README.md): no row.
paper_results = None
