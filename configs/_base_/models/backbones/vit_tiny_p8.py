# Tiny random-weight ViT/8 (48 channels, 2 blocks): CPU tests and the quickstart, no download.
backbone = dict(type='DINOViT', arch='vit_tiny_p8', init_cfg=None)
