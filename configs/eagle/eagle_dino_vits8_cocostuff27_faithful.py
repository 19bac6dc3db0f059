# EAGLE, DINO ViT-S/8, COCO-Stuff-27 with the reference's quirks: colour affinity on the
# ImageNet-normalised input divided by 255; the reference's metric (pixels predicted as an
# extra cluster left out) is reported next to the standard one.
_base_ = ['./eagle_dino_vits8_cocostuff27.py', './_base_/reference_metric.py']
val_evaluator = test_evaluator = '${reference_evaluators}'  # + the reference's metric
model = dict(color_source='normalized')
# paper_results: the parent's row (the paper ran the reference code)
