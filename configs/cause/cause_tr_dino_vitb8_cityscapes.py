# CAUSE-TR, DINO ViT-B/8, Cityscapes-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 28.0 / 90.8 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dino_vitb8_cityscapes.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dino_vitb8_cityscapes.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dino_vitb8_cityscapes.py work_dirs/cause_tr_dino_vitb8_cityscapes/iter_1631.pth
_base_ = ['./cause_tr_cityscapes_base.py']
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vitb8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth')),
    head=dict(in_channels=768, num_tokens=1600))  # 320 px / 8
