# CAUSE-TR, DINO ViT-S/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 32.4 / 69.6 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dino_vits8_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dino_vits8_coco.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dino_vits8_coco.py work_dirs/cause_tr_dino_vits8_coco/iter_27146.pth
# The reference built DINO ViT-S with 12 heads (plugin README); useg uses DINO's 6. For the
# reference's features: model.backbone.arch=dict(img_size=224, patch_size=8, embed_dim=384,
# depth=12, num_heads=12) with the same weights file.
_base_ = ['./cause_tr_coco_base.py']
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    head=dict(in_channels=384, num_tokens=1600))  # 320 px / 8
