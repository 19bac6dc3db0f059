# EAGLE, DINO ViT-B/8, COCO-Stuff-27 with the reference's quirks (colour affinity on the
# normalised input); no paper row for this backbone.
_base_ = ['./eagle_dino_vitb8_cocostuff27.py', './_base_/reference_metric.py']
val_evaluator = test_evaluator = '${reference_evaluators}'  # + the reference's metric
model = dict(color_source='normalized')
paper_results = None
