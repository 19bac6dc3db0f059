"""Frozen features computed once: validation and test reuse the backbone's outputs.

:class:`FrozenFeatureMemoHook` (added to every useg runner) wraps ``model.backbone.forward`` during
validation and test. Each sample's output is stored under its identity: ``img_path``, a digest of
the val/test pipeline and a signature of the exact input it received (shape and two checksums, so
the flipped view, a different padding or any other input is a different entry). The 2nd..Nth
validation then runs only the head. Outputs are kept in memory up to ``max_bytes``, then in
memory-mapped ``.npy`` files under the run's cache directory (removed after the run).

The memo is off, with one log line, when the backbone has trainable parameters, or the pipeline
holds a transform not known to be deterministic; it is cleared whenever the backbone's weights
change (a parameter replaced or modified in place, e.g. by ``load_state_dict``). It pays only where
a backbone pass costs more than serving its output from the memo (input signatures, lookup,
stacking): the first validation times the backbone per sample, the first one with reused outputs
times serving them, and where serving was not faster the memo switches itself off for the rest
of the run, with one log line (a small backbone on small images).
"""
import hashlib
import os
import os.path as osp
import shutil
import time

import numpy as np
import torch
from mmengine.hooks import Hook

from useg.registry import HOOKS
from useg.utils.cache import cache_key, resolve_cache_dir

# transforms that map an image file to the same inputs every time
DETERMINISTIC_TRANSFORMS = (
    'LoadImageFromFile', 'LoadMatImageFromFile', 'LoadAnnotations', 'LoadMatAnnotations',
    'LoadCheckedAnnotations', 'Resize', 'PILResizeShortSide', 'CenterCrop',
    'TorchvisionCenterCrop', 'Pad', 'PackSegInputs', 'PackUnsupervisedSegInputs')


def _unwrap(model):
    return getattr(model, 'module', model)


def weights_fingerprint(module):
    """Changes whenever a parameter or buffer is replaced or modified in place."""
    return tuple((name, tensor.data_ptr(), tensor._version)
                 for name, tensor in module.state_dict(keep_vars=True).items())


def _plain_value(value):
    if isinstance(value, (list, tuple)):
        values = [_plain_value(item) for item in value]
        return None if any(item is _UNPLAIN for item in values) else values
    return value if isinstance(value, (bool, int, float, str, type(None))) else _UNPLAIN


_UNPLAIN = object()


def pipeline_key(transforms):
    """Key of a pipeline: each transform's type and plain-valued attributes, in order."""
    steps = []
    for step in transforms:
        attributes = {name: _plain_value(value) for name, value in sorted(vars(step).items())}
        steps.append([type(step).__name__, {name: value for name, value in attributes.items()
                                            if value is not _UNPLAIN}])
    return cache_key(dict(steps=steps))


def input_signatures(inputs):
    """``inputs (B, ...)`` -> one ``(shape, sum, weighted sum)`` signature per sample."""
    flat = inputs.detach().flatten(1).double()
    ramp = torch.arange(flat.shape[1], device=flat.device, dtype=flat.dtype) % 7 - 3
    sums = torch.stack([flat.sum(1), (flat * ramp).sum(1)], 1).tolist()
    return [(tuple(inputs.shape[1:]), *row) for row in sums]


BF16_SUFFIX = '.bf16.npy'  # a spilled bfloat16 output, stored as its int16 bits


def _load_spilled(path):
    tensor = torch.from_numpy(np.load(path, mmap_mode='r').copy())
    return tensor.view(torch.bfloat16) if path.endswith(BF16_SUFFIX) else tensor


class FeatureMemo:
    """Per-sample backbone outputs: ``key -> tuple of (C, h, w) tensors`` in memory, then on disk."""

    def __init__(self, max_bytes, spill_dir):
        self.max_bytes, self.spill_dir = max_bytes, spill_dir
        self.entries, self.bytes, self.hits, self.misses = {}, 0, 0, 0

    def clear(self):
        self.entries, self.bytes = {}, 0
        if self.spill_dir:
            shutil.rmtree(self.spill_dir, ignore_errors=True)

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None:
            return None
        return tuple(_load_spilled(part) if isinstance(part, str) else part for part in entry)

    def put(self, key, parts):
        size = sum(part.numel() * part.element_size() for part in parts)
        if self.bytes + size <= self.max_bytes:
            self.entries[key] = tuple(part.cpu() for part in parts)
            self.bytes += size
            return
        if not self.spill_dir:  # over budget, nowhere to spill: recomputed next time
            return
        os.makedirs(self.spill_dir, exist_ok=True)
        name = hashlib.sha1(repr(key).encode()).hexdigest()
        paths = []
        for index, part in enumerate(parts):
            bf16 = part.dtype == torch.bfloat16  # (a bf16 backbone pass) numpy has no bfloat16
            path = osp.join(self.spill_dir, f'{name}_{index}{BF16_SUFFIX if bf16 else ".npy"}')
            np.save(path, (part.view(torch.int16) if bf16 else part).cpu().numpy())
            paths.append(path)
        self.entries[key] = tuple(paths)


@HOOKS.register_module()
class FrozenFeatureMemoHook(Hook):
    """Reuse frozen-backbone features across validations and tests (see the module docstring).

    Args:
        max_bytes: in-memory budget; further outputs go to memory-mapped files.
        spill: write outputs beyond the budget to ``<cache root>/val_features/<run>`` (else
            they are recomputed).
        judge_cost: switch off once serving a sample from the memo was measured to be no faster
            than its backbone pass (False: keep it whatever it costs).
    """

    priority = 'LOW'

    def __init__(self, max_bytes=4 * 1024 ** 3, spill=True, judge_cost=True):
        self.max_bytes = max_bytes
        self.spill = spill
        self.judge_cost = judge_cost
        self.backbone_seconds = self.serve_seconds = 0.0  # per sample, once measured
        self.too_costly = None  # the reason it switched itself off
        self._timed = dict(backbone=0.0, passed=0, serve=0.0, served=0)
        self._logged_reason = None
        self.deterministic = set(DETERMINISTIC_TRANSFORMS)
        self.memo = None
        self._fingerprint = None
        self._ids = None
        self._backbone = None
        self._pipeline_key = None
        self._single, self._container, self._channels_last = True, None, []
        self._pipeline_keys = {}

    # ----------------------------------------------------------------------------- conditions
    def _reason_off(self, backbone, dataloader):
        if self.too_costly is not None:
            return self.too_costly
        if backbone is None:
            return 'the model has no backbone'
        if any(parameter.requires_grad for parameter in backbone.parameters()):
            return 'the backbone is trained'
        transforms = getattr(getattr(dataloader.dataset, 'pipeline', None), 'transforms', None)
        if transforms is None:
            return 'the pipeline is unknown'
        unknown = sorted({type(step).__name__ for step in transforms} - self.deterministic)
        if unknown:
            return f'the pipeline has transforms not known to be deterministic: {unknown}'
        return None

    def _install(self, runner, dataloader):
        backbone = getattr(_unwrap(runner.model), 'backbone', None)
        reason = self._reason_off(backbone, dataloader)
        if reason is not None:
            if reason != self._logged_reason:  # one line per reason, not one per validation
                runner.logger.info(f'frozen-feature memo off: {reason}')
                self._logged_reason = reason
            return
        if self.memo is None:
            spill_dir = osp.join(resolve_cache_dir('val_features', runner.work_dir),
                                 f'{runner.timestamp}-{os.getpid()}') if self.spill else None
            self.memo = FeatureMemo(self.max_bytes, spill_dir)
        fingerprint = weights_fingerprint(backbone)
        if fingerprint != self._fingerprint:
            self.memo.clear()
            self._fingerprint = fingerprint
        # computed once per loader: some transforms set attributes lazily on their first call
        if id(dataloader) not in self._pipeline_keys:
            self._pipeline_keys[id(dataloader)] = pipeline_key(dataloader.dataset.pipeline.transforms)
        self._pipeline_key = self._pipeline_keys[id(dataloader)]
        self._backbone = backbone
        forward = type(backbone).forward.__get__(backbone)
        backbone.forward = lambda inputs, *args, **kwargs: self._forward(forward, inputs, *args,
                                                                         **kwargs)

    def _uninstall(self):
        if self._backbone is not None:
            del self._backbone.forward
            self._backbone, self._ids = None, None

    def _forward(self, forward, inputs, *args, **kwargs):
        if self._ids is None or args or kwargs or len(self._ids) != len(inputs):
            return forward(inputs, *args, **kwargs)
        start = time.perf_counter()
        keys = [(img_path, self._pipeline_key, signature)
                for img_path, signature in zip(self._ids, input_signatures(inputs))]
        cached = [self.memo.get(key) for key in keys]
        if all(entry is not None for entry in cached):
            self.memo.hits += len(keys)
            parts = [self._as_computed(torch.stack([entry[index] for entry in cached]), index)
                     .to(inputs.device) for index in range(len(cached[0]))]
            self._timed['serve'] += time.perf_counter() - start
            self._timed['served'] += len(keys)
            return parts[0] if self._single else type(self._container)(parts)
        self.memo.misses += len(keys)
        before_pass = time.perf_counter()
        output = forward(inputs, *args, **kwargs)
        if inputs.is_cuda:
            torch.cuda.synchronize(inputs.device)  # the pass's time, not its launch
        after_pass = time.perf_counter()
        self._single = torch.is_tensor(output)
        self._container = None if self._single else output
        parts = [output] if self._single else list(output)
        # served outputs keep the computed ones' memory layout (the head is slower on another)
        self._channels_last = [part.dim() == 4 and part.stride(1) == 1 and part.shape[1] > 1
                               for part in parts]
        for row, key in enumerate(keys):
            self.memo.put(key, tuple(part[row] for part in parts))
        self._timed['backbone'] += after_pass - before_pass
        self._timed['passed'] += len(keys)
        return output

    def _as_computed(self, part, index):
        channels_last = index < len(self._channels_last) and self._channels_last[index]
        return part.contiguous(memory_format=torch.channels_last) if channels_last else part

    # ----------------------------------------------------------------------------- hook points
    def before_val(self, runner):
        self._install(runner, runner.val_loop.dataloader)

    def before_test(self, runner):
        self._install(runner, runner.test_loop.dataloader)

    def before_val_iter(self, runner, batch_idx, data_batch=None):
        self._remember(data_batch)

    def before_test_iter(self, runner, batch_idx, data_batch=None):
        self._remember(data_batch)

    def _remember(self, data_batch):
        if self._backbone is None or not data_batch:
            return
        samples = data_batch.get('data_samples') or []
        paths = [sample.metainfo.get('img_path') for sample in samples]
        self._ids = paths if paths and all(paths) else None

    def after_val_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        self._ids = None

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        self._ids = None

    def after_val(self, runner):
        self._uninstall()
        timed = self._timed
        if not (self.judge_cost and self.too_costly is None and timed['passed'] and timed['served']):
            return
        self.backbone_seconds = timed['backbone'] / timed['passed']
        self.serve_seconds = timed['serve'] / timed['served']
        if self.serve_seconds >= self.backbone_seconds:
            self.too_costly = (f'it costs more than it saves ({1e3 * self.serve_seconds:.2f} ms to '
                               f'serve a sample vs {1e3 * self.backbone_seconds:.2f} ms to compute it)')
            runner.logger.info(f'frozen-feature memo off: {self.too_costly}')
            self._logged_reason = self.too_costly
            self.memo.clear()

    def after_test(self, runner):
        self._uninstall()

    def after_run(self, runner):
        if self.memo is not None:
            self.memo.clear()
