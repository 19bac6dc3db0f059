# DINOv2 ViT-S/14 (384 channels).
backbone = dict(type='DINOViT', arch='dinov2_vits14',
                init_cfg=dict(type='Pretrained', checkpoint='dinov2_vits14_pretrain.pth'))
