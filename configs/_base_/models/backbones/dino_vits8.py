# DINO ViT-S/8 (384 channels), the 100-epoch release (STEGO's DINO baseline, PriMaPs).
backbone = dict(type='DINOViT', arch='dino_vits8',
                init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth'))
