# DepthG, DINO ViT-B/8, COCO-Stuff-27 (run 2 of the reference paper_reproduction.sh), clean defaults.
#   useg precompute configs/depthg/depthg_dino_vitb8_cocostuff27.py   (KNN table + depth maps)
#   python tools/train.py configs/depthg/depthg_dino_vitb8_cocostuff27.py
# Schedule intervals are the reference's Lightning-step ones divided by 3 (iterations); the sample
# decay has factor 1 there (a no-op), so it is off.
_base_ = ['./_base_/cocostuff27.py', '../_base_/models/backbones/dino_vitb8.py']
code_dim = 90
model = dict(
    correlation_loss=dict(pos_intra_weight=0.23052367315917113, pos_inter_weight=1.0500945312858674,
                          neg_inter_weight=0.2485038032028848, pos_intra_shift=0.12326312284078644,
                          pos_inter_shift=0.21028290947990444, neg_inter_shift=0.9748103425096648,
                          depth_weight=0.16026274975444096, depth_shift=0.035909146298813595,
                          feature_samples=12),
    schedule=dict(depth_decay=True, depth_decay_every=100, depth_decay_factor=0.64))
train_cfg = dict(val_interval=50)
# The paper's number for this run could not be read here (plugins/depthg/README.md): no row.
paper_results = None
