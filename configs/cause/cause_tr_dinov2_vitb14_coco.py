# The documented flagship command's name: CAUSE-TR, DINOv2 ViT-B/14, COCO-Stuff-27.
_base_ = ['./cause_tr_dinov2_vitb14_cocostuff27.py']
