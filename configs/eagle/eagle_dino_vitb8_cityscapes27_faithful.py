# EAGLE, DINO ViT-B/8, Cityscapes-27 with the reference's quirks: colour affinity on the
# normalised input, label-smoothed (0.1) object loss times the mean token weight.
_base_ = ['./eagle_dino_vitb8_cityscapes27.py', './_base_/reference_metric.py']
val_evaluator = test_evaluator = '${reference_evaluators}'  # + the reference's metric
model = dict(color_source='normalized', object_loss=dict(label_smoothing=0.1))
# paper_results: the parent's row (the paper ran the reference code)
