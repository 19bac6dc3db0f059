# HP, DINO ViT-B/8, Cityscapes-27, with every faithful switch of specs/hp.md section 11 (plugins/hp/README.md):
# float16 masks and pools (Q5), NaN for an image without task-agnostic positives (Q10), pools
# built with dropout (Q4), photometric augmentation of the normalised tensor (Q6).
_base_ = ['./hp_dino_vitb8_cityscapes27.py']
model = dict(hidden_positive_loss=dict(half_precision_masks=True, nan_on_empty=True),
             half_precision_pool=True, pool_dropout=True, augment_normalised=True)
