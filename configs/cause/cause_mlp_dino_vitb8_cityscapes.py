# CAUSE-MLP, DINO ViT-B/8, Cityscapes-27: paper (README @ ee0aa84; CRF + flip + Hungarian) 25.7 / 90.3 mIoU / Acc.
#   python tools/precompute_clusterbook.py configs/cause/cause_mlp_dino_vitb8_cityscapes.py  # stage 1
#   python tools/train.py configs/cause/cause_mlp_dino_vitb8_cityscapes.py  # stages 2 + 3
#   python tools/test.py configs/cause/cause_mlp_dino_vitb8_cityscapes.py work_dirs/cause_mlp_dino_vitb8_cityscapes/iter_699.pth
_base_ = ['./cause_mlp_cityscapes_base.py']
model = dict(
    backbone=dict(type='DINOViT', arch='dino_vitb8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth')),
    head=dict(in_channels=768))
