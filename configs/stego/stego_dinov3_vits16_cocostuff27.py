# STEGO on DINOv3 ViT-S/16, COCO-Stuff-27: a useg extension -- no paper reports this row.
# STEGO's COCO-Stuff-27 setting (the reference's ViT-S loss block) with the frozen DINOv3
# ViT-S/16 and 320 px train crops (20 x 20 tokens; the paper: 224 px at /8, 28 x 28).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vits16.py).
#   python tools/precompute.py configs/stego/stego_dinov3_vits16_cocostuff27.py
#   python tools/train.py configs/stego/stego_dinov3_vits16_cocostuff27.py
_base_ = ['./_base_/cocostuff27_vits.py', '../_base_/models/backbones/dinov3_vits16.py']
crop_size = 320  # a multiple of the patch size 16
