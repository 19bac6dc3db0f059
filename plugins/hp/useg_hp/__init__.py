"""useg plugin: HP (Seong et al., CVPR 2023), https://arxiv.org/abs/2303.15014.

Importing it registers ``HiddenPositiveLoss``, ``HPConsistencyLoss``, ``HPSegmentor`` (MODELS)
and ``HPReferencePoolHook`` (HOOKS).
"""
from .attention import patch_attention_logits
from .checkpoint import convert_reference_state_dict
from .consistency_loss import HPConsistencyLoss
from .hidden_positive_loss import HiddenPositiveLoss, hidden_positive_masks
from .hp_segmentor import HPSegmentor
from .locality import local_propagation_weights, propagate_locally
from .pool_hook import HPReferencePoolHook
from .reference_checkpoint import convert_reference_checkpoint
from .reference_pool import build_reference_pool, draw_pool_indices
from .schedule import hp_lambda, should_renew_pool

__all__ = ['HPConsistencyLoss', 'HPReferencePoolHook', 'HPSegmentor', 'HiddenPositiveLoss',
           'build_reference_pool', 'convert_reference_checkpoint',
           'convert_reference_state_dict', 'draw_pool_indices',
           'hidden_positive_masks', 'hp_lambda', 'local_propagation_weights',
           'patch_attention_logits', 'propagate_locally', 'should_renew_pool']
