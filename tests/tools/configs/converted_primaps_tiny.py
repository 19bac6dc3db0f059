# The tiny primaps model of the converter tests: a 2-block, 128-channel DINO-style ViT/8 with a 64 px
# position grid (the shapes tests/tools/test_convert_checkpoint.py gives its reference files).
_base_ = ['../../../configs/primaps/tiny_synthetic.py']
backbone = dict(_delete_=True, type='DINOViT', init_cfg=None,
                arch=dict(img_size=64, patch_size=8, embed_dim=128, depth=2, num_heads=2))
num_classes = 4
code_dim = 12
