# DINO ViT-S/8 (384 channels), the 300-epoch release (STEGO ViT-S, SmooSeg).
backbone = dict(type='DINOViT', arch='dino_vits8',
                init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_300ep_pretrain.pth'))
