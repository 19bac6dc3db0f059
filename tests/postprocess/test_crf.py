
import numpy as np
import pytest
import torch

from useg.postprocess import dense_crf, dense_crf_batch


def two_region_scene(seed=0, size=32, noise=0.3):
    """Left half dark, right half bright; log-probs agree with the halves except for
    randomly flipped pixels. Returns image (H, W, 3) uint8, log_probs (2, H, W), truth."""
    rng = np.random.default_rng(seed)
    truth = np.zeros((size, size), np.int64)
    truth[:, size // 2:] = 1
    image = np.where(truth[..., None] == 1, 220, 30).astype(np.uint8).repeat(3, axis=2)
    noisy = np.where(rng.random((size, size)) < noise, 1 - truth, truth)
    logits = torch.nn.functional.one_hot(torch.from_numpy(noisy), 2).permute(2, 0, 1).float()
    return image, torch.log_softmax(logits * 1.5, 0), truth


def test_crf_returns_probabilities_and_removes_noise():
    image, log_probs, truth = two_region_scene()
    before = (log_probs.argmax(0).numpy() == truth).mean()
    probs = dense_crf(image, log_probs)
    assert probs.shape == (2, 32, 32) and probs.dtype == np.float32
    assert np.allclose(probs.sum(0), 1, atol=1e-4)
    after = (probs.argmax(0) == truth).mean()
    assert before < 0.8 and after > 0.97


def test_low_resolution_log_probs_are_upsampled():
    image, _, truth = two_region_scene()
    coarse = torch.log_softmax(torch.tensor([[[4.0, -4.0]], [[-4.0, 4.0]]]).expand(2, 4, 2), 0)
    probs = dense_crf(image, coarse, iterations=5)
    assert probs.shape == (2, 32, 32)
    assert (probs.argmax(0) == truth).mean() > 0.95


def test_batch_matches_single_image_results_serial_and_parallel():
    scenes = [two_region_scene(seed) for seed in range(3)]
    images = [scene[0] for scene in scenes]
    log_probs = [scene[1] for scene in scenes]
    single = [dense_crf(image, maps) for image, maps in zip(images, log_probs)]
    for workers in (0, 2):
        batch = dense_crf_batch(images, log_probs, num_workers=workers)
        assert len(batch) == 3
        for got, want in zip(batch, single):
            assert np.array_equal(got, want)


def test_bad_inputs():
    image, log_probs, _ = two_region_scene()
    with pytest.raises(ValueError, match='uint8'):
        dense_crf(image.astype(np.float32), log_probs)
    with pytest.raises(ValueError, match=r'\(C, h, w\)'):
        dense_crf(image, log_probs[0])
    with pytest.raises(ValueError, match='2 images but 1'):
        dense_crf_batch([image, image], [log_probs])


def test_auto_pool_is_sized_by_the_cpu_affinity(monkeypatch):
    import useg.postprocess.crf as crf_module
    from useg.postprocess import refine_with_crf
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, (8, 8, 3), dtype=np.uint8) for _ in range(3)]
    maps = [torch.randn(2, 4, 4, generator=torch.Generator().manual_seed(i)).log_softmax(0)
            for i in range(3)]
    serial = refine_with_crf(images, maps, iterations=2, backend='pydensecrf', num_workers=0)
    sizes = []

    class InProcess:
        map = staticmethod(map)

    def fake_get(num_workers):
        sizes.append(num_workers)
        return InProcess()

    monkeypatch.setattr(crf_module.os, 'cpu_count', lambda: 64)
    monkeypatch.setattr(crf_module.CRF_POOL, 'get', fake_get)
    monkeypatch.setattr(crf_module.os, 'sched_getaffinity', lambda pid: {0}, raising=False)
    single = refine_with_crf(images, maps, iterations=2, backend='auto')
    assert sizes == []  # one usable CPU: in-process, no pool
    monkeypatch.setattr(crf_module.os, 'sched_getaffinity', lambda pid: {2, 5, 7}, raising=False)
    pooled = refine_with_crf(images, maps, iterations=2, backend='auto')
    assert sizes == [3]
    for result in (single, pooled):
        for got, expected in zip(result, serial):
            np.testing.assert_array_equal(got, expected)
