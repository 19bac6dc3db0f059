"""PriMaPs / PriMaPs-EM for useg (Hahn et al., TMLR 2024)."""
from .ema_schedule import teacher_decay
from .em_step import em_step
from .focal_cross_entropy import class_confidence_weights, focal_cross_entropy
from .mask_logits import median_filter_3x3, proposal_log_probs
from .mask_majority_vote import mask_majority_vote
from .mask_proposals import batched_principal_mask_proposals, principal_mask_proposals
from .paper_results import PAPER_RESULTS
from .primaps_em_segmentor import PriMaPsEMSegmentor
from .prototype_init_hook import (PriMaPsPrototypeInitHook, assign_prototypes, cosine_kmeans_loss,
                                  cosine_kmeans_step, pca_prototypes)
from .principal_direction import (batched_first_principal_direction, first_principal_direction,
                                  gram_subspace_iteration, subspace_iteration)
from .pseudo_labeler import PriMaPsPseudoLabeler, intra_op_threads
from .teacher_ema_hook import PriMaPsTeacherEMAHook
from .weight_norm_prototypes import WeightNormPrototypes

__all__ = ['PAPER_RESULTS', 'PriMaPsEMSegmentor', 'PriMaPsPrototypeInitHook',
           'PriMaPsPseudoLabeler',
           'PriMaPsTeacherEMAHook', 'assign_prototypes', 'cosine_kmeans_loss', 'cosine_kmeans_step',
           'pca_prototypes',
           'WeightNormPrototypes',
           'class_confidence_weights', 'em_step', 'focal_cross_entropy',
           'mask_majority_vote', 'teacher_decay',
           # PriMaPs' numerically important helpers
           'batched_first_principal_direction', 'batched_principal_mask_proposals',
           'first_principal_direction', 'gram_subspace_iteration', 'intra_op_threads',
           'median_filter_3x3', 'principal_mask_proposals', 'proposal_log_probs',
           'subspace_iteration']
