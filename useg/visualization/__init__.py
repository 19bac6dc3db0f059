"""Visualisation of unsupervised segmentation results: panels, overlays, charts."""
import mmseg.visualization  # noqa: F401  (registers SegLocalVisualizer, the configs' visualizer)

from .hungarian_visualization_hook import (HungarianVisualizationHook, find_assignment,
                                           write_metric_plots)
from .panels import (cluster_legend, colorize, draw_panels, matched_prediction, overlay,
                     save_cluster_overlay, save_panels)
from .plots import (matched_confusion, plot_class_iou, plot_confusion, plot_curves,
                    plot_reproduction)
from .tensorboard import enable_tensorboard

__all__ = ['HungarianVisualizationHook', 'cluster_legend', 'colorize', 'draw_panels', 'enable_tensorboard',
           'find_assignment', 'matched_confusion', 'matched_prediction', 'overlay',
           'plot_class_iou', 'plot_confusion', 'plot_curves', 'plot_reproduction',
           'save_cluster_overlay', 'save_panels', 'write_metric_plots']
