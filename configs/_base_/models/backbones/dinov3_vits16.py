# DINOv3 ViT-S/16 (LVD-1689M), frozen (useg extension: no paper uses DINOv3).
# Weights: dinov3_vits16_pretrain_lvd1689m-08c60483.pth (github.com/facebookresearch/dinov3, after
# accepting Meta's DINOv3 License) or, when it is in the Hugging Face cache, timm's copy
# checkpoint='hf-hub:timm/vit_small_patch16_dinov3.lvd1689m'.
# The weights carry the DINOv3 License, not useg's.
# Patch 16: inputs must be multiples of 16 (the DINOv3 configs set crop_size = 320).
# Width: the built model's embed_dim (heads and probes infer their in_channels from it).
backbone = dict(
    type='DINOViT', arch='dinov3_vits16',
    init_cfg=dict(type='Pretrained', checkpoint='dinov3_vits16_pretrain_lvd1689m-08c60483.pth'))
