# The documented flagship command's name: PriMaPs-EM, DINOv2 ViT-B/14, Cityscapes-27.
_base_ = ['./primaps_dinov2_vitb14_cityscapes27.py']
