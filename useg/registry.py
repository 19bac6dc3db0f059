"""useg registries: children of mmseg's (scope ``useg``), plus ``PSEUDO_LABELERS`` and
``PRECOMPUTE_STEPS``.

A config with ``default_scope='useg'`` builds useg components by their bare names and still
finds every mmseg / mmengine component through the parent registries. ``locations`` make the
first build import the modules that register into each registry, so nothing needs importing by
hand. Installed plugin packages are imported once, lazily, before the first build
(see :mod:`useg.plugins`).
"""
from mmengine.registry import Registry
from mmseg.registry import (DATA_SAMPLERS as MMSEG_DATA_SAMPLERS, DATASETS as MMSEG_DATASETS,
                            EVALUATOR as MMSEG_EVALUATOR, HOOKS as MMSEG_HOOKS,
                            LOG_PROCESSORS as MMSEG_LOG_PROCESSORS, LOOPS as MMSEG_LOOPS,
                            METRICS as MMSEG_METRICS, MODEL_WRAPPERS as MMSEG_MODEL_WRAPPERS,
                            MODELS as MMSEG_MODELS, OPTIM_WRAPPER_CONSTRUCTORS as
                            MMSEG_OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS as MMSEG_OPTIM_WRAPPERS,
                            OPTIMIZERS as MMSEG_OPTIMIZERS, PARAM_SCHEDULERS as MMSEG_PARAM_SCHEDULERS,
                            RUNNERS as MMSEG_RUNNERS, TRANSFORMS as MMSEG_TRANSFORMS,
                            VISBACKENDS as MMSEG_VISBACKENDS, VISUALIZERS as MMSEG_VISUALIZERS,
                            WEIGHT_INITIALIZERS as MMSEG_WEIGHT_INITIALIZERS)

from useg.plugins import PluginAwareRegistry

SCOPE = 'useg'


def _child(name, parent, locations):
    return PluginAwareRegistry(name, parent=parent, scope=SCOPE, locations=locations)


RUNNERS = _child('runner', MMSEG_RUNNERS, ['useg.engine'])
LOOPS = _child('loop', MMSEG_LOOPS, ['useg.engine'])
HOOKS = _child('hook', MMSEG_HOOKS, ['useg.engine', 'useg.visualization'])
LOG_PROCESSORS = _child('log processor', MMSEG_LOG_PROCESSORS, ['useg.engine'])
OPTIMIZERS = _child('optimizer', MMSEG_OPTIMIZERS, ['useg.engine'])
OPTIM_WRAPPERS = _child('optim wrapper', MMSEG_OPTIM_WRAPPERS, ['useg.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = _child('optimizer wrapper constructor',
                                    MMSEG_OPTIM_WRAPPER_CONSTRUCTORS, ['useg.engine'])
PARAM_SCHEDULERS = _child('parameter scheduler', MMSEG_PARAM_SCHEDULERS, ['useg.engine'])
DATASETS = _child('dataset', MMSEG_DATASETS, ['useg.datasets', 'useg.neighbors'])
DATA_SAMPLERS = _child('data sampler', MMSEG_DATA_SAMPLERS, ['useg.datasets'])
TRANSFORMS = _child('transform', MMSEG_TRANSFORMS,
                    ['useg.datasets', 'useg.neighbors', 'useg.pseudo_labels'])
MODELS = _child('model', MMSEG_MODELS, ['useg.models'])
MODEL_WRAPPERS = _child('model_wrapper', MMSEG_MODEL_WRAPPERS, ['useg.models'])
WEIGHT_INITIALIZERS = _child('weight initializer', MMSEG_WEIGHT_INITIALIZERS, ['useg.models'])
METRICS = _child('metric', MMSEG_METRICS, ['useg.evaluation'])
EVALUATOR = _child('evaluator', MMSEG_EVALUATOR, ['useg.evaluation'])
VISUALIZERS = _child('visualizer', MMSEG_VISUALIZERS, ['useg.visualization'])
VISBACKENDS = _child('vis_backend', MMSEG_VISBACKENDS, ['useg.visualization'])

# Pseudo-label generators (PriMaPs masks, saliency, superpixels): built by the precompute tools
# and by models that label on the fly. Root registry of its own: nothing upstream has one.
PSEUDO_LABELERS = PluginAwareRegistry('pseudo labeler', scope=SCOPE, locations=['useg.pseudo_labels'])

# Cached steps a config declares in ``precomputes`` (see useg.precompute): the core's KNN table and
# pseudo labels; plugins register theirs (CAUSE's clusterbook, DepthG's depth maps).
PRECOMPUTE_STEPS = PluginAwareRegistry('precompute step', scope=SCOPE,
                                       locations=['useg.neighbors', 'useg.pseudo_labels'])
