"""``ClusterKMeansHook``: a method's cluster centroids as k-means++ on its own code."""
import copy
import math

import torch
from mmengine.dataset import pseudo_collate
from mmengine.hooks import Hook
from torch.utils.data import DataLoader

from useg.registry import DATASETS, HOOKS
from useg.models.data_preprocessor import unpadded_batches
from useg.utils import UsegError
from ..rng_state import capture_rng_state, restore_rng_state
from ..run_state import is_fresh_start


def _unwrapped(dataset):
    """A copy of the innermost dataset config of wrappers such as ``KNNPairDataset``."""
    while isinstance(dataset.get('dataset'), dict):
        dataset = dataset['dataset']
    return copy.deepcopy(dataset)


@HOOKS.register_module()
class ClusterKMeansHook(Hook):
    """Fit the cluster centroids by cosine k-means on the model's prediction code of the training
    images: before training, and again every ``interval`` iterations and after the last one.

    The references train their cluster probes / prototypes online from random (or PCA) starts;
    on small data that online k-means lands in poor optima (one class split, two merged), so
    the score reflects the start rather than the code. With this hook the cluster prediction is
    exactly k-means on what the method computes, so it can be compared with k-means on the
    input features (``tools/kmeans_baseline.py``). A useg extension, used by the tiny configs.

    Per fit: ``model.predict_code`` (eval mode, no grad; flip-averaged when ``test_cfg.flip``)
    of every training image (the training dataset without its wrappers, e.g. ``KNNPairDataset``,
    loaded by the evaluation pipeline: see :meth:`dataset_cfg`), at most ``max_points`` codes
    (the same random ones per image), :func:`useg.evaluation.kmeans` (spherical, ``restarts`` k-means++ runs, ``seed``),
    copied into every target through ``set_prototypes``. Every rank encodes the whole training
    set (the hook is meant for small data), so a data-parallel run fits the same centroids as a
    single process. The fit after an iteration runs before that iteration's checkpoint is saved.

    Args:
        targets: model attributes to set; None = the model's ``cluster_predictor``. Methods whose
            predictor is the EMA copy of a trained module list both (``('student', 'teacher')``).
        interval: refit every ``interval`` iterations (None: only before training and after the
            last iteration).
        at_end: fit after the last training iteration.
        max_points / restarts / seed: the k-means sample and runs.
        pipeline: data pipeline for the fit (None: the val (else test) loader's pipeline without
            its annotation loaders; the training pipeline when there is neither).
        batch_size: images per forward pass.
    """
    priority = 'NORMAL'  # after_train_iter: before CheckpointHook (VERY_LOW) saves the iteration

    def __init__(self, targets=None, interval=None, at_end=True,
                 max_points=100_000, restarts=10, seed=0, pipeline=None, batch_size=4):
        self.targets = None if targets is None else tuple(targets)
        self.interval = interval
        self.at_end = at_end
        self.max_points = max_points
        self.restarts = restarts
        self.seed = seed
        self.pipeline = pipeline
        self.batch_size = batch_size

    def _modules(self, model):
        if self.targets is None:
            modules = [model.cluster_predictor]
        else:
            modules = [getattr(model, name, None) for name in self.targets]
        if any(module is None or not hasattr(module, 'set_prototypes') for module in modules):
            raise UsegError(f'ClusterKMeansHook: {type(model).__name__} has no cluster module '
                            f'with set_prototypes among {self.targets or "cluster_predictor"}')
        return modules

    def dataset_cfg(self, runner):
        """The training dataset's config without its wrappers, with ``pipeline`` or else the
        evaluation pipeline less its annotation loaders (the images as the model sees them at
        test time: random crops and resizes of training would fit other codes)."""
        dataset = _unwrapped(runner.cfg.train_dataloader['dataset'])
        pipeline = self.pipeline
        evaluation = runner.cfg.get('val_dataloader') or runner.cfg.get('test_dataloader')
        if pipeline is None and evaluation:
            pipeline = [transform for transform in _unwrapped(evaluation['dataset'])['pipeline']
                        if 'Annotations' not in transform['type']]
        if pipeline is not None:
            dataset['pipeline'] = copy.deepcopy(pipeline)
        return dataset

    def build_loader(self, runner):
        """Every training image in dataset order (not sharded across ranks)."""
        return DataLoader(DATASETS.build(self.dataset_cfg(runner)), batch_size=self.batch_size,
                          shuffle=False, num_workers=0, collate_fn=pseudo_collate)

    def code_samples(self, model, loader):
        """At most ``max_points`` codes ``(N, D)`` of the loader's images (CPU, float32)."""
        per_image = max(1, self.max_points // max(1, len(loader.dataset)))
        generator = torch.Generator().manual_seed(self.seed)
        points = []
        for data_batch in loader:
            data = model.data_preprocessor(data_batch, False)
            for inputs, samples in unpadded_batches(data['inputs'], data['data_samples']):
                with torch.no_grad():
                    code = model.predict_code(inputs)
                if not isinstance(code, torch.Tensor) or code.ndim != 4:
                    raise UsegError(f'ClusterKMeansHook: {type(model).__name__}.predict_code '
                                    f'returns {type(code).__name__}, not a (B, D, h, w) tensor')
                scale = code.shape[-1] / inputs.shape[-1]
                for code_i, sample in zip(code.float().cpu(), samples):
                    height, width = sample.metainfo.get('img_shape', inputs.shape[-2:])[:2]
                    code_i = code_i[:, :math.ceil(height * scale), :math.ceil(width * scale)]
                    tokens = code_i.flatten(1).T  # (h * w, D), the preprocessor's padding dropped
                    keep = torch.randperm(len(tokens), generator=generator)[:per_image]
                    points.append(tokens[keep])
        if not points:
            raise UsegError('ClusterKMeansHook: the training set yielded no image')
        return torch.cat(points)

    def fit(self, runner):
        """Fit and set the centroids. Draws from no global generator the training uses (loader
        seeds, random transforms): training continues as it would have without the fit, and a
        resumed run as the uninterrupted one."""
        rng_state = capture_rng_state()
        try:
            self._fit(runner)
        finally:
            restore_rng_state(rng_state)

    def _fit(self, runner):
        from useg.evaluation import kmeans
        model = getattr(runner.model, 'module', runner.model)
        modules = self._modules(model)
        was_training = model.training
        model.eval()
        try:
            points = self.code_samples(model, self.build_loader(runner))
        finally:
            model.train(was_training)
        centroids = kmeans(points, modules[0].num_clusters, self.seed, self.restarts,
                           spherical=True)
        for module in modules:
            module.set_prototypes(centroids)
        runner.logger.info(f'cluster centroids: k-means on {len(points)} codes of the training '
                           f'images (iteration {runner.iter})')

    def before_train(self, runner):
        if is_fresh_start(runner):  # resumed or loaded runs keep their saved centroids
            self.fit(runner)

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        last = self.at_end and self.is_last_train_iter(runner)
        if last or (self.interval and self.every_n_train_iters(runner, self.interval)):
            self.fit(runner)
