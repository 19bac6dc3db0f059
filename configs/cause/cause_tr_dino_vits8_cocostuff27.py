# CAUSE-TR, DINO ViT-S/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 32.4 / 69.6 mIoU / Acc.
#   python tools/precompute.py configs/cause/cause_tr_dino_vits8_cocostuff27.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dino_vits8_cocostuff27.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dino_vits8_cocostuff27.py work_dirs/cause_tr_dino_vits8_cocostuff27/iter_27146.pth
# The reference built DINO ViT-S with 12 heads (plugin README); useg uses DINO's 6. For the
# reference's features: model.backbone.arch=dict(img_size=224, patch_size=8, embed_dim=384,
# depth=12, num_heads=12) with the same weights file.
_base_ = ['./cause_tr_cocostuff27_base.py', '../_base_/models/backbones/dino_vits8.py']
num_tokens = 1600  # (320 / 8)^2
paper_results = 'cause-tr/dino_vits8/cocostuff27'
