"""Visualisation of unsupervised segmentation results."""
from .hungarian_visualization_hook import HungarianVisualizationHook, matched_prediction

__all__ = ['HungarianVisualizationHook', 'matched_prediction']
