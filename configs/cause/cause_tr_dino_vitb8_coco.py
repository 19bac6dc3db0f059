# CAUSE-TR, DINO ViT-B/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 41.9 / 74.9 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dino_vitb8_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_tr_dino_vitb8_coco.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_tr_dino_vitb8_coco.py work_dirs/cause_tr_dino_vitb8_coco/iter_27146.pth
_base_ = ['./cause_tr_coco_base.py']
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vitb8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth')),
    head=dict(in_channels=768, num_tokens=1600))  # 320 px / 8
