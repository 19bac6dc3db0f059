"""ClusterKMeansHook: k-means++ centroids on the model's prediction code of the training images."""
import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmengine.config import ConfigDict

from tests.conftest import REPO_ROOT, _single_process_loaders
from useg.apis import load_config, set_data_root
from useg.engine import ClusterKMeansHook, UsegRunner
from useg.models import cluster_probe_loss, cosine_similarity_map
from useg.utils import UsegError

CONFIG = osp.join(REPO_ROOT, 'configs', 'baseline', 'tiny_synthetic_filter_bank.py')


@pytest.fixture
def runner(synthetic_data_root, tmp_path):
    cfg = load_config(CONFIG, {'custom_hooks': []}, str(tmp_path / 'work_dir'))
    set_data_root(cfg, synthetic_data_root)
    _single_process_loaders(cfg)
    return UsegRunner.from_cfg(cfg)


def training_codes(runner):
    hook = ClusterKMeansHook()  # val pipeline on the training images: 96 px, 144 codes each
    return hook.code_samples(runner.model, hook.build_loader(runner))


def kmeans_loss(centroids, codes):
    return float(cluster_probe_loss(cosine_similarity_map(codes.T[None, :, :, None],
                                                          centroids))[0])


def test_fit_sets_centroids_that_cluster_the_codes_better_than_the_random_start(runner):
    probe = runner.model.cluster_probe
    codes = training_codes(runner)
    random_start = probe.clusters.detach().clone()
    ClusterKMeansHook(restarts=2).before_train(runner)
    fitted = probe.clusters.detach().clone()
    assert not torch.equal(fitted, random_start)
    # hard cosine k-means objective (the probe's training loss) on the training codes
    assert kmeans_loss(fitted, codes) < kmeans_loss(random_start, codes) - 0.05
    # deterministic given the seed
    probe.set_prototypes(random_start)
    ClusterKMeansHook(restarts=2).before_train(runner)
    assert torch.allclose(probe.clusters.detach(), fitted)


def test_targets_get_the_same_centroids_and_resume_keeps_them(runner):
    model = runner.model
    model.second_probe = torch.nn.Module()  # a stand-in EMA copy
    received = []
    model.second_probe.set_prototypes = received.append
    ClusterKMeansHook(targets=('cluster_probe', 'second_probe'), restarts=1).fit(runner)
    centroids = model.cluster_probe.clusters
    assert torch.allclose(received[0].to(centroids), centroids)
    before = model.cluster_probe.clusters.detach().clone()
    runner.train_loop._iter = 3  # resuming: the checkpoint's centroids are kept
    ClusterKMeansHook(restarts=1).before_train(runner)
    assert torch.equal(model.cluster_probe.clusters.detach(), before)


def test_fit_leaves_the_training_random_state_alone(runner):
    """Loader seeds and random transforms of the fit draw from the global generators: they are
    restored, so a run (and its resume) continues as without the fit."""
    runner.cfg.train_dataloader.dataset.pipeline.insert(
        2, dict(type='RandomCrop', crop_size=(48, 48)))
    hook = ClusterKMeansHook(restarts=1, pipeline=runner.cfg.train_dataloader.dataset.pipeline)
    torch.manual_seed(1)
    np.random.seed(1)
    expected = torch.rand(3), np.random.rand(3)
    torch.manual_seed(1)
    np.random.seed(1)
    hook.fit(runner)
    assert torch.equal(torch.rand(3), expected[0]) and (np.random.rand(3) == expected[1]).all()


def test_refits_after_the_last_iteration_and_at_the_interval(runner, monkeypatch):
    fits = []
    monkeypatch.setattr(ClusterKMeansHook, 'fit', lambda self, runner: fits.append(runner.iter))
    max_iters = runner.train_loop.max_iters
    for hook, expected in [(ClusterKMeansHook(interval=7), list(range(6, max_iters, 7))
                            + [max_iters - 1]), (ClusterKMeansHook(at_end=False), [])]:
        fits.clear()
        for step in range(max_iters):
            runner.train_loop._iter = step
            hook.after_train_iter(runner, step)
        assert fits == expected


def test_training_images_through_the_evaluation_pipeline_without_wrappers():
    inner = dict(type='ImageFolderDataset', split='train', pipeline=[dict(type='RandomCrop')])
    evaluation = [dict(type='LoadImageFromFile'), dict(type='LoadCheckedAnnotations'),
                  dict(type='PackSegInputs')]
    cfg = ConfigDict(train_dataloader=dict(batch_size=8, dataset=dict(
        type='KNNPairDataset', knn=dict(topk=5), dataset=inner)))
    runner = SimpleNamespace(cfg=cfg)
    assert ClusterKMeansHook().dataset_cfg(runner) == inner  # no evaluation loader
    cfg.val_dataloader = dict(dataset=dict(type='ImageFolderDataset', pipeline=evaluation))
    assert ClusterKMeansHook().dataset_cfg(runner) == dict(
        inner, pipeline=[evaluation[0], evaluation[2]])  # labels need not exist
    pipeline = [dict(type='LoadImageFromFile')]
    assert ClusterKMeansHook(pipeline=pipeline).dataset_cfg(runner) == dict(inner,
                                                                           pipeline=pipeline)


def test_a_model_without_tensor_code_or_settable_centroids_gets_one_line(runner, monkeypatch):
    with pytest.raises(UsegError, match='no cluster module with set_prototypes'):
        ClusterKMeansHook(targets=('linear_probe', )).fit(runner)
    monkeypatch.setattr(runner.model, 'predict_code', lambda inputs: (inputs, inputs))
    with pytest.raises(UsegError, match='predict_code returns tuple, not a'):
        ClusterKMeansHook().fit(runner)
