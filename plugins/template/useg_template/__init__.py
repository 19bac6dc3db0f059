"""The template useg method: copy this package to start a paper. Importing it registers it."""
from .feature_similarity_loss import FeatureSimilarityLoss
from .template_segmentor import TemplateSegmentor

__all__ = ['FeatureSimilarityLoss', 'TemplateSegmentor']
