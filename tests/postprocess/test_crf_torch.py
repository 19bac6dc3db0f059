"""The PyTorch dense CRF against pydensecrf, and the backend switch."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from useg.datasets.synthetic import synthetic_scene
from useg.postprocess import (PermutohedralLattice, dense_crf, dense_crf_batch, dense_crf_torch,
                              refine_with_crf, resolve_crf_backend)
from useg.postprocess import refine
from useg.postprocess.crf import CRF_POOL


def noisy_scene(seed, size, num_classes, stride=4):
    """Synthetic scene with blurred, noisy low-resolution log-probs of its label:
    image ``(H, W, 3)`` uint8 tensor, log_probs ``(K, H/stride, W/stride)``."""
    rng = np.random.default_rng(seed)
    image, label = synthetic_scene(rng, (size, size), num_classes)
    onehot = F.one_hot(torch.from_numpy(label.astype(np.int64)), num_classes)
    coarse = F.avg_pool2d(onehot.permute(2, 0, 1).float()[None], stride)[0] * 3
    coarse = coarse + torch.from_numpy(rng.normal(size=coarse.shape)).float()
    return torch.from_numpy(image), torch.log_softmax(coarse, 0)


@pytest.mark.parametrize('num_classes', [3, 27])
def test_matches_pydensecrf(num_classes):
    scenes = [noisy_scene(seed, 40, num_classes) for seed in range(2)]
    images = torch.stack([image for image, _ in scenes])
    log_probs = torch.stack([maps for _, maps in scenes])
    probs = dense_crf_torch(images, log_probs)
    assert probs.shape == (2, num_classes, 40, 40) and probs.dtype == torch.float32
    for index, (image, maps) in enumerate(scenes):
        reference = dense_crf(image.numpy(), maps)
        # the same lattice and arithmetic: only float summation order differs
        np.testing.assert_allclose(probs[index].numpy(), reference, atol=1e-4, rtol=0)
        assert (probs[index].argmax(0).numpy() == reference.argmax(0)).mean() >= 0.999


def test_padded_classes_give_each_image_its_own_result():
    (image_a, maps_a), (image_b, maps_b) = noisy_scene(0, 24, 3), noisy_scene(1, 24, 5)
    batch = torch.full((2, 5, 6, 6), 7.0)  # padding channels hold anything
    batch[0, :3], batch[1] = maps_a, maps_b
    probs = dense_crf_torch(torch.stack([image_a, image_b]), batch, iterations=5,
                            num_labels=torch.tensor([3, 5]))
    assert (probs[0, 3:] == 0).all()
    torch.testing.assert_close(probs[0, :3], dense_crf_torch(image_a[None], maps_a[None], 5)[0])
    torch.testing.assert_close(probs[1], dense_crf_torch(image_b[None], maps_b[None], 5)[0])


def test_lattice_filters_images_of_a_batch_independently():
    features = torch.rand(2, 50, 3, generator=torch.Generator().manual_seed(0)) * 4
    values = torch.rand(2, 50, 2, generator=torch.Generator().manual_seed(1))
    together = PermutohedralLattice(features).filter(values)
    for index in range(2):
        alone = PermutohedralLattice(features[index:index + 1]).filter(values[index:index + 1])
        torch.testing.assert_close(together[index], alone[0])
    # far-apart points do not see each other, near ones do
    lattice = PermutohedralLattice(torch.tensor([[[0.0, 0.0], [100.0, 100.0], [100.5, 100.0]]]))
    spread = lattice.filter(torch.eye(3)[None])[0]  # column j: point j's value
    assert spread[0, 0] > 0 and spread[1:, 0].eq(0).all() and spread[0, 1:].eq(0).all()
    assert spread[2, 1] > 0 and spread[1, 2] > 0


def test_refine_with_crf_backends_agree_and_keep_one_pool():
    scenes = [noisy_scene(seed, 24, num_classes) for seed, num_classes in ((0, 3), (1, 4), (2, 3))]
    images = [image.numpy() for image, _ in scenes]
    maps = [log_probs for _, log_probs in scenes]
    torch_probs = refine_with_crf(images, maps, iterations=5, backend='torch')
    serial = refine_with_crf(images, maps, iterations=5, backend='pydensecrf', num_workers=0)
    for got, want in zip(torch_probs, serial):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, atol=1e-4)
    pooled = dense_crf_batch(images, maps, iterations=5, num_workers=2)
    pool = CRF_POOL._pool
    again = dense_crf_batch(images, maps, iterations=5, num_workers=2)
    assert pool is not None and CRF_POOL._pool is pool  # not re-forked per call
    for first, second, want in zip(pooled, again, serial):
        assert np.array_equal(first, want) and np.array_equal(second, want)


def test_backend_choice():
    assert resolve_crf_backend('auto', 'cpu') == 'pydensecrf'
    assert resolve_crf_backend('auto', torch.device('cuda', 0)) == 'torch'
    assert resolve_crf_backend('torch', 'cpu') == 'torch'
    # on one CPU the torch lattice wins from many classes on (docs/performance.md)
    one_cpu = refine.usable_cpus() == 1
    assert resolve_crf_backend('auto', 'cpu', num_classes=27) == ('torch' if one_cpu else 'pydensecrf')
    assert resolve_crf_backend('auto', 'cpu', num_classes=3) == 'pydensecrf'
    with pytest.raises(ValueError, match='crf_backend'):
        resolve_crf_backend('gpu', 'cpu')
    with pytest.raises(ValueError, match='uint8'):
        dense_crf_torch(torch.zeros(1, 4, 4, 3), torch.zeros(1, 2, 4, 4))


def test_batches_too_large_for_one_lattice_are_split(monkeypatch):
    import useg.postprocess.crf_torch as crf_torch
    import useg.postprocess.permutohedral as permutohedral
    scenes = [noisy_scene(seed, 16, 3) for seed in range(3)]
    images = torch.stack([image for image, _ in scenes])
    log_probs = torch.stack([maps for _, maps in scenes])
    whole = dense_crf_torch(images, log_probs, iterations=3, num_labels=torch.tensor([3, 2, 3]))
    monkeypatch.setattr(permutohedral, 'MAX_PACKED_KEY', 1)
    with pytest.raises(permutohedral.LatticeKeyOverflow):
        permutohedral.PermutohedralLattice(torch.zeros(2, 4, 2))
    monkeypatch.undo()
    sizes = []

    def one_image_lattice(features):  # a lattice that holds one image only
        sizes.append(len(features))
        if len(features) > 1:
            raise permutohedral.LatticeKeyOverflow('too many images')
        return permutohedral.PermutohedralLattice(features)

    monkeypatch.setattr(crf_torch, 'PermutohedralLattice', one_image_lattice)
    split = dense_crf_torch(images, log_probs, iterations=3, num_labels=torch.tensor([3, 2, 3]))
    torch.testing.assert_close(split, whole)
    assert 3 in sizes and max(sizes[-2:]) == 1


@pytest.mark.parametrize('name, num_classes', [('astronaut', 27), ('coffee', 3)])
def test_matches_pydensecrf_on_a_real_photo(name, num_classes):
    """Noisy unaries on a resized photo (many lattice vertices, most blur neighbours missing)."""
    from skimage import data
    from skimage.transform import resize
    image = (resize(getattr(data, name)(), (48, 48), anti_aliasing=True) * 255)
    image = image.round().astype(np.uint8)
    generator = torch.Generator().manual_seed(num_classes)
    log_probs = torch.log_softmax(2 * torch.randn(num_classes, 6, 6, generator=generator), 0)
    reference = dense_crf(image, log_probs)
    probs = dense_crf_torch(torch.from_numpy(image)[None], log_probs[None])[0].numpy()
    np.testing.assert_allclose(probs, reference, atol=1e-4, rtol=0)
    assert (probs.argmax(0) == reference.argmax(0)).mean() >= 0.999
