"""useg plugin: CAUSE (Kim, Lee, Ro, *Causal Unsupervised Semantic Segmentation*, Pattern
Recognition 2024, https://arxiv.org/abs/2310.07379).

Importing it registers ``ModularityLoss``, ``CAUSEHead``, ``ConceptContrastiveLoss`` and
``CAUSESegmentor`` in ``useg.registry.MODELS`` and ``ClusterbookHook`` /
``ConceptBankCheckpointHook`` in ``HOOKS`` and the ``clusterbook`` step in ``PRECOMPUTE_STEPS``.
"""
from .cause_head import CAUSEHead
from .cause_segmentor import CAUSESegmentor
from .clusterbook import (clusterbook_path, load_clusterbook, precompute_clusterbook,
                          resolve_clusterbook)
from .clusterbook_hook import ClusterbookHook
from .clusterbook_step import ClusterbookStep
from .concept_bank import ConceptBank
from .concept_bank_checkpoint_hook import ConceptBankCheckpointHook
from .concept_contrastive_loss import ConceptContrastiveLoss
from .grid_sampling import draw_grid_order, grid_sample_tokens
from .modularity_loss import ModularityLoss
from .paper_results import PAPER_RESULTS
from .quantization import codebook_index, quantize
from .reference_conversion import convert_reference_head

__all__ = ['PAPER_RESULTS', 'CAUSEHead', 'CAUSESegmentor', 'ClusterbookHook', 'ClusterbookStep',
           'ConceptBank',
           'ConceptBankCheckpointHook', 'ConceptContrastiveLoss', 'ModularityLoss',
           'clusterbook_path', 'codebook_index', 'convert_reference_head', 'draw_grid_order',
           'grid_sample_tokens', 'load_clusterbook', 'precompute_clusterbook', 'quantize',
           'resolve_clusterbook']
