"""``--amp``: bf16 where CUDA supports it, and a bf16-autocast training step of a tiny config on the CPU."""
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.optim.optimizer import amp_optimizer_wrapper
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from tests.conftest import config_path
from useg.apis import enable_amp, load_config
from useg.registry import MODELS

TINY = config_path('baseline', 'tiny_synthetic.py')


def amp_config(monkeypatch, bf16=True):
    """The tiny config after ``enable_amp`` on a (pretended) CUDA machine."""
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'is_bf16_supported', lambda *args, **kwargs: bf16)
    cfg = enable_amp(load_config(TINY, work_dir='unused'))
    monkeypatch.undo()
    return cfg


def test_amp_uses_bf16_where_cuda_supports_it(monkeypatch):
    for bf16, dtype in ((True, 'bfloat16'), (False, 'float16')):
        cfg = amp_config(monkeypatch, bf16)
        for name in ('cluster_probe', 'linear_probe'):
            assert cfg.optim_wrapper[name]['type'] == 'AmpOptimWrapper'
            assert cfg.optim_wrapper[name]['dtype'] == dtype
    if not torch.cuda.is_available():
        with pytest.warns(RuntimeWarning, match='needs a CUDA GPU'):
            cfg = enable_amp(load_config(TINY, work_dir='unused'))
        assert cfg.optim_wrapper['linear_probe']['type'] == 'OptimWrapper'


def test_amp_training_step_of_the_tiny_config_runs_in_bf16_autocast(monkeypatch):
    """The wrappers ``--amp`` configures, built on the CPU (mmengine refuses without CUDA, so its
    check is bypassed; the CPU autocast is bf16 and the grad scaler disables itself)."""
    cfg = amp_config(monkeypatch, bf16=True)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available', lambda: True)
    with DefaultScope.overwrite_default_scope('useg'):
        wrappers = build_optim_wrapper(model, cfg.optim_wrapper)
    assert type(wrappers['linear_probe']).__name__ == 'AmpOptimWrapper'
    dtypes = []
    model.linear_probe.register_forward_hook(lambda module, args, out: dtypes.append(out.dtype))
    before = [p.detach().clone() for p in model.linear_probe.parameters()]
    samples = []
    for _ in range(2):
        sample = SegDataSample()
        sample.set_metainfo(dict(img_shape=(16, 16), ori_shape=(16, 16)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, 4, (1, 16, 16)))
        samples.append(sample)
    batch = dict(inputs=[torch.randint(0, 256, (3, 16, 16), dtype=torch.uint8) for _ in range(2)],
                 data_samples=samples)
    log_vars = model.train_step(batch, wrappers)
    assert dtypes and all(dtype == torch.bfloat16 for dtype in dtypes)
    assert all(torch.isfinite(torch.as_tensor(value)).all() for value in log_vars.values())
    after = list(model.linear_probe.parameters())
    assert any(not torch.equal(a, b) for a, b in zip(before, after))
