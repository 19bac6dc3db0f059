"""The template useg method: copy this package to start a paper. Importing it registers it."""
from .template_loss import TemplateLoss
from .template_segmentor import TemplateSegmentor

__all__ = ['TemplateLoss', 'TemplateSegmentor']
