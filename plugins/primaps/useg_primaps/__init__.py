"""PriMaPs / PriMaPs-EM for useg (Hahn et al., TMLR 2024)."""
from .ema_schedule import teacher_decay
from .em_step import em_step
from .focal_cross_entropy import class_confidence_weights, focal_cross_entropy
from .mask_majority_vote import mask_majority_vote
from .primaps_em_segmentor import PriMaPsEMSegmentor
from .prototype_init_hook import (PriMaPsPrototypeInitHook, assign_prototypes, cosine_kmeans_loss,
                                  cosine_kmeans_step, pca_prototypes)
from .pseudo_labeler import PriMaPsPseudoLabeler
from .teacher_ema_hook import PriMaPsTeacherEMAHook
from .weight_norm_prototypes import WeightNormPrototypes

__all__ = ['PriMaPsEMSegmentor', 'PriMaPsPrototypeInitHook', 'PriMaPsPseudoLabeler',
           'PriMaPsTeacherEMAHook', 'assign_prototypes', 'cosine_kmeans_loss', 'cosine_kmeans_step',
           'pca_prototypes',
           'WeightNormPrototypes',
           'class_confidence_weights', 'em_step', 'focal_cross_entropy',
           'mask_majority_vote', 'teacher_decay']
