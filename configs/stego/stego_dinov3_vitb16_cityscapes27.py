# STEGO on DINOv3 ViT-B/16, Cityscapes-27: a useg extension -- no paper reports this row.
# STEGO's Cityscapes-27 setting with the frozen DINOv3 ViT-B/16 and 320 px train crops (20 x 20
# tokens; the paper: 224 px at /8, 28 x 28).
# The weights carry Meta's DINOv3 License (see configs/_base_/models/backbones/dinov3_vitb16.py).
#   python tools/precompute.py configs/stego/stego_dinov3_vitb16_cityscapes27.py
#   python tools/train.py configs/stego/stego_dinov3_vitb16_cityscapes27.py
_base_ = ['./_base_/cityscapes27.py', '../_base_/models/backbones/dinov3_vitb16.py']
crop_size = 320  # a multiple of the patch size 16
