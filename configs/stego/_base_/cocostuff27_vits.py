# STEGO on COCO-Stuff-27 with a ViT-S backbone: loss block "Cocostuff27 ViT-S 1/31/22" of the
# reference train_config.yml (otherwise ./cocostuff27.py).
_base_ = ['./cocostuff27.py']
model = dict(correlation_loss=dict(
    pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63, pos_intra_shift=0.08,
    pos_inter_shift=0.02, neg_inter_shift=0.66))
