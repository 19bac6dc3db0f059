# DINOv2 ViT-B/14 (768 channels).
backbone = dict(type='DINOViT', arch='dinov2_vitb14',
                init_cfg=dict(type='Pretrained', checkpoint='dinov2_vitb14_pretrain.pth'))
