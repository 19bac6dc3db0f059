# EAGLE, DINO ViT-S/8, COCO-Stuff-27 with the reference's quirks: colour affinity on the
# ImageNet-normalised input divided by 255. The reference's metric also drops pixels predicted as
# an extra cluster; useg's HungarianMetric has no such option yet, so the standard metric is
# reported (plugin README).
_base_ = ['./eagle_dino_vits8_cocostuff27.py']
model = dict(color_source='normalized')
# paper_results: the parent's row (the paper ran the reference code)
