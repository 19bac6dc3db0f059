# CAUSE-MLP, DINO ViT-B/8, COCO-Stuff-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 34.3 / 72.8 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_mlp_dino_vitb8_coco.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dino_vitb8_coco.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dino_vitb8_coco.py work_dirs/cause_mlp_dino_vitb8_coco/iter_11634.pth
_base_ = ['./cause_mlp_coco_base.py']
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vitb8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth')),
    head=dict(in_channels=768))
