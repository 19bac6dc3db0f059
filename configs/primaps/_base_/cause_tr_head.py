# The frozen CAUSE-TR teacher head (D = 90, its clusterbook included) read from the CAUSE
# checkpoint ``head_checkpoint`` (prefix 'teacher.head.'); ``cause_num_tokens`` = the token count
# of the CAUSE TR crop.
_base_ = ['./from_trained_head.py']
cause_tr_head = dict(type='CAUSEHead', structure='tr', channels=90, num_tokens='${cause_num_tokens}',
                     ffn_channels=2048, num_codebook=2048,
                     init_cfg=dict(type='Pretrained', checkpoint='${head_checkpoint}',
                                   prefix='teacher.head.'))
