# DINO ViT-B/8 (768 channels).
backbone = dict(type='DINOViT', arch='dino_vitb8',
                init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth'))
