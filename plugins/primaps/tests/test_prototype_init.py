"""PriMaPs prototype initialisation: PCA, cosine k-means, checkpoint init, resume skip."""
import copy
import logging
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import useg  # noqa: F401
from useg.apis import UsegError
from useg.models.heads.cluster_probe import ClusterProbe
from useg_primaps import (PriMaPsPrototypeInitHook, WeightNormPrototypes, cosine_kmeans_loss,
                          cosine_kmeans_step, pca_prototypes)


def test_pca_prototypes_are_the_top_principal_directions():
    generator = torch.Generator().manual_seed(0)
    rotation = torch.linalg.qr(torch.randn(8, 8, generator=generator))[0]
    scales = torch.tensor([10.0, 6.0, 3.0, 0.3, 0.2, 0.1, 0.1, 0.1])
    # the offset checks the centring
    feats = (torch.randn(2000, 8, generator=generator) * scales) @ rotation.T + 5.0
    torch.manual_seed(0)
    prototypes = pca_prototypes(feats, 3, niter=20)
    assert prototypes.shape == (3, 8)
    torch.testing.assert_close(prototypes @ prototypes.T, torch.eye(3), atol=1e-5, rtol=0)
    alignment = (prototypes @ rotation[:, :3]).abs()  # |cos| with the true top directions
    torch.testing.assert_close(alignment, torch.eye(3), atol=2e-2, rtol=0)
    torch.manual_seed(0)
    _, _, v = torch.pca_lowrank(feats, q=6, center=True, niter=20)  # q = 2K, V[:, :K]^T
    torch.testing.assert_close(prototypes, v[:, :3].T)
    with pytest.raises(ValueError):
        pca_prototypes(feats[:2], 3)


def test_cosine_kmeans_step_by_hand():
    # prototypes e1, e2; f0 = (2, 0) -> cluster 0 with cos 1, f1 = (1, 2) -> cluster 1, cos 2/sqrt5
    feats = torch.tensor([[2.0, 0.0], [1.0, 2.0]])
    prototypes = torch.eye(2, requires_grad=True)
    loss = cosine_kmeans_loss(prototypes, feats)
    assert loss.dtype == torch.float64
    torch.testing.assert_close(loss.item(), -(1 + 2 / math.sqrt(5)) / 2)
    # d cos(f, p) / dp = (f_hat - cos * p_hat) / |p|: zero for p0 (aligned), (1/sqrt5, 0) for p1
    loss = cosine_kmeans_step(prototypes, feats, torch.optim.SGD([prototypes], lr=1.0))
    torch.testing.assert_close(loss.item(), -(1 + 2 / math.sqrt(5)) / 2)
    torch.testing.assert_close(prototypes.detach(),
                               torch.tensor([[1.0, 0.0], [1 / (2 * math.sqrt(5)), 1.0]]))
    # Adam's first step moves every component with a gradient by lr * -sign(grad)
    prototypes = torch.eye(2, requires_grad=True)
    image = feats.T.reshape(1, 2, 1, 2)  # the same two pixels as a (B, C, h, w) code
    cosine_kmeans_step(prototypes, image, torch.optim.Adam([prototypes], lr=0.1))
    torch.testing.assert_close(prototypes.detach(), torch.tensor([[1.0, 0.0], [0.1, 1.0]]))


def test_cosine_kmeans_converges_to_cluster_directions():
    generator = torch.Generator().manual_seed(0)
    centres = F.normalize(torch.randn(4, 16, generator=generator), dim=1) * 4
    labels = torch.arange(4).repeat_interleave(100)
    feats = centres[labels] + 0.3 * torch.randn(400, 16, generator=generator)
    start = F.normalize(centres + 2.0 * torch.randn(4, 16, generator=generator), dim=1)
    prototypes = start.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([prototypes], lr=0.05)
    for _ in range(10):
        for batch in torch.randperm(400, generator=generator).split(50):
            cosine_kmeans_step(prototypes, feats[batch], optimizer)
    cos = F.normalize(prototypes.detach(), dim=1) @ F.normalize(centres, dim=1).T
    assert (start @ F.normalize(centres, dim=1).T).diagonal().max() < 0.95
    assert cos.diagonal().min() > 0.98


class _Model(nn.Module):
    """Code = input; student / teacher prototypes; an identity data preprocessor."""

    def __init__(self, channels, num_classes, core_probe=False):
        super().__init__()
        self.student = WeightNormPrototypes(channels, num_classes)
        self.teacher = (ClusterProbe(channels, num_classes) if core_probe
                              else copy.deepcopy(self.student).requires_grad_(False))
        self.data_preprocessor = lambda batch, training: dict(inputs=batch)

    def encode(self, inputs):
        return inputs, inputs


class _Runner:
    def __init__(self, model, iteration=0, loaded=False):
        self.model, self.iter = model, iteration
        self.cfg = dict(load_from='init.pth' if loaded else None)
        self.logger = logging.getLogger('test_prototype_init')


def _two_cluster_loader(seed):
    """Images (8, 4, 4) whose pixels come from two opposite, well-separated clusters."""
    generator = torch.Generator().manual_seed(seed)
    centres = torch.zeros(2, 8)
    centres[0, 0], centres[1, 0] = 4.0, -4.0
    labels = torch.randint(0, 2, (24, 4, 4), generator=generator)
    images = centres[labels].permute(0, 3, 1, 2) + 0.3 * torch.randn(24, 8, 4, 4,
                                                                     generator=generator)
    loader = DataLoader(TensorDataset(images), batch_size=4, shuffle=True, drop_last=True,
                        generator=generator, collate_fn=lambda items: torch.stack(
                            [item[0] for item in items]))
    return loader, images, labels


@pytest.mark.parametrize('seed', [0, 1, 2])
@pytest.mark.parametrize('core_probe', [False, True])
def test_hook_recovers_well_separated_clusters(seed, core_probe):
    loader, images, labels = _two_cluster_loader(seed)
    model = _Model(8, 2, core_probe)
    hook = PriMaPsPrototypeInitHook(pca_batches=3, pca_iterations=20, kmeans_epochs=3,
                                    kmeans_lr=0.05)
    hook.build_loader = lambda runner: loader
    torch.manual_seed(seed)
    hook.before_train(_Runner(model))
    student = model.student.weight_v.detach().flatten(1)
    teacher = (model.teacher.clusters if core_probe
               else model.teacher.weight_v.flatten(1)).detach()
    torch.testing.assert_close(teacher, student)
    assert torch.equal(model.student.weight_g, torch.ones(2, 1, 1, 1))
    pixels = images.permute(0, 2, 3, 1).reshape(-1, 8)
    assignment = (F.normalize(pixels, dim=1) @ F.normalize(student, dim=1).T).argmax(1)
    labels = labels.flatten()
    for k in range(2):  # every cluster gets exactly one prototype, and a different one
        assert assignment[labels == k].unique().numel() == 1
    assert assignment.unique().numel() == 2


def test_hook_pca_only_gives_orthonormal_principal_directions():
    loader, images, _ = _two_cluster_loader(0)
    model = _Model(8, 2)
    hook = PriMaPsPrototypeInitHook(pca_batches=None, pca_iterations=20, kmeans_epochs=0)
    hook.build_loader = lambda runner: loader
    hook.before_train(_Runner(model))
    prototypes = model.student.weight_v.detach().flatten(1)
    torch.testing.assert_close(prototypes @ prototypes.T, torch.eye(2), atol=1e-5, rtol=0)
    assert prototypes[0, 0].abs() > 0.99  # the cluster axis is the first principal direction


def test_init_from_copies_checkpoint_clusters(tmp_path):
    clusters = torch.randn(3, 5)
    path = str(tmp_path / 'stego.pth')
    torch.save(dict(meta=dict(), state_dict={'cluster_probe.clusters': clusters,
                                             'head.weight': torch.zeros(1)}), path)
    model = _Model(5, 3)
    with torch.no_grad():
        model.student.weight_g.fill_(3.0)
    PriMaPsPrototypeInitHook(init_from=path).before_train(_Runner(model))
    for module in (model.student, model.teacher):
        torch.testing.assert_close(module.weight_v.detach().flatten(1), clusters)
        assert torch.equal(module.weight_g, torch.ones(3, 1, 1, 1))
    with pytest.raises(UsegError, match='needs'):
        PriMaPsPrototypeInitHook(init_from=path).before_train(_Runner(_Model(4, 3)))
    with pytest.raises(UsegError, match='has no'):
        PriMaPsPrototypeInitHook(init_from=path, init_key='x').before_train(_Runner(model))


@pytest.mark.parametrize('runner_state', [dict(iteration=5), dict(loaded=True)])
def test_hook_skipped_on_resume_or_loaded_checkpoint(runner_state, tmp_path):
    model = _Model(5, 3)
    before = copy.deepcopy(model.state_dict())
    hook = PriMaPsPrototypeInitHook(init_from=str(tmp_path / 'missing.pth'))
    hook.build_loader = lambda runner: pytest.fail('must not build a loader')
    hook.before_train(_Runner(model, **runner_state))
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key
