"""The template useg method: copy this package to start a paper. Importing it registers it."""
from .paper_results import PAPER_RESULTS
from .template_loss import TemplateLoss
from .template_segmentor import TemplateSegmentor

__all__ = ['PAPER_RESULTS', 'TemplateLoss', 'TemplateSegmentor']
