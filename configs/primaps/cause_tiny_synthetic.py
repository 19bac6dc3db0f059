# PriMaPs-EM on top of the tiny CAUSE-TR head (configs/cause/tiny_synthetic.py): CPU smoke test of
# "+SotA+PriMaPs" with CAUSE, at the CAUSE crop (96 px, 144 tokens).
#   python tools/precompute.py configs/cause/tiny_synthetic.py
#   python tools/train.py configs/cause/tiny_synthetic.py
#   python tools/precompute.py configs/primaps/cause_tiny_synthetic.py
#   python tools/train.py configs/primaps/cause_tiny_synthetic.py
_base_ = ['./_base_/from_trained_head.py', './tiny_synthetic.py']
custom_imports = dict(imports=['useg_primaps', 'useg_cause'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/tiny_synthetic/iter_10.pth'
crop_size = 96
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             head=dict(type='CAUSEHead', structure='tr', channels=16, num_tokens=144,
                       ffn_channels=64, num_codebook=16,
                       init_cfg=dict(type='Pretrained', checkpoint='${head_checkpoint}',
                                     prefix='teacher.head.')))
prototype_init = '${trained_head_prototype_init}'  # CAUSE's modularity centroids
