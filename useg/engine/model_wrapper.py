"""Data-parallel training for models with several optimisers (``OptimWrapperDict``).

mmengine's ``MMDistributedDataParallel`` drives one optimiser through DDP's autograd hooks, which
reduce gradients during the first backward of an iteration only; useg's segmentors run one backward
per optimiser (:meth:`UnsupervisedSegmentor.train_step`). This wrapper keeps that single-process
path unchanged and averages each optimiser's gradients over the ranks right before its step: one
all-reduce (one flat buffer) per optimiser step, wherever the backward passes happened.
"""
import torch
import torch.nn as nn
from mmengine.dist import all_reduce, all_reduce_params, broadcast, get_world_size
from mmengine.optim import OptimWrapperDict

from useg.registry import MODEL_WRAPPERS

SYNCED_TAG = '_useg_grads_synced'


def average_gradients(params):
    """Average the ``.grad`` of ``params`` over all ranks in one all-reduce (in place).

    A parameter without a gradient on some ranks counts as zero there (as DDP does with
    ``find_unused_parameters``); one without a gradient on every rank keeps ``grad=None``. (This
    presence flag is why it is not ``mmengine.dist.all_reduce_params``, which needs a tensor on
    every rank.)
    """
    params = [p for p in params if p.requires_grad]
    world_size = get_world_size()
    if world_size == 1 or not params:
        return
    device, dtype = params[0].device, torch.float32
    flat = [(p.grad.detach().reshape(-1).to(dtype) if p.grad is not None
             else torch.zeros(p.numel(), device=device, dtype=dtype)) for p in params]
    present = torch.tensor([p.grad is not None for p in params], device=device, dtype=dtype)
    buffer = torch.cat(flat + [present])
    all_reduce(buffer)  # sum
    present = buffer[-len(params):]
    offset = 0
    for index, param in enumerate(params):
        value = buffer[offset:offset + param.numel()].view_as(param) / world_size
        offset += param.numel()
        if param.grad is not None:
            param.grad.copy_(value)
        elif present[index] > 0:
            param.grad = value.to(param.dtype).clone()


def sync_before_step(optim_wrapper):
    """Make ``optim_wrapper.step`` average its parameters' gradients over the ranks first."""
    if getattr(optim_wrapper, SYNCED_TAG, False):
        return
    original_step = optim_wrapper.step

    def step(**kwargs):
        average_gradients([p for group in optim_wrapper.optimizer.param_groups
                           for p in group['params']])
        return original_step(**kwargs)

    optim_wrapper.step = step
    setattr(optim_wrapper, SYNCED_TAG, True)


def average_batch_norm_statistics(module):
    """Average the running mean / variance of every training-mode BatchNorm over the ranks (one
    all-reduce): without SyncBatchNorm (CPU) each rank normalises by its own batch, and this keeps
    the saved statistics the same on every rank."""
    stats = [tensor for layer in module.modules()
             if isinstance(layer, nn.modules.batchnorm._BatchNorm) and layer.training
             and layer.track_running_stats
             for tensor in (layer.running_mean, layer.running_var) if tensor is not None]
    if get_world_size() == 1 or not stats:
        return
    all_reduce_params(stats, op='mean')  # one coalesced all-reduce, in place


@MODEL_WRAPPERS.register_module()
class UsegDistributedDataParallel(nn.Module):
    """Data-parallel wrapper: ``module`` stays the model, one gradient all-reduce per optimiser step.

    At construction the parameters and buffers of rank 0 are broadcast, so every rank starts from
    the same weights. On CUDA, sub-modules with trainable parameters get ``SyncBatchNorm``; on CPU
    (torch's SyncBatchNorm has no CPU kernel) each rank normalises by its own batch and the running
    statistics are averaged over the ranks after every step. ``train_step`` calls the module's own
    ``train_step`` (the loss-group routing of the single-process path) with every optimiser
    synchronised; ``val_step`` / ``test_step`` are the module's.
    """

    def __init__(self, module, sync_bn=True, broadcast_buffers=True):
        super().__init__()
        self.sync_bn = sync_bn and next(module.parameters()).is_cuda
        if self.sync_bn:
            for name, child in module.named_children():
                if any(p.requires_grad for p in child.parameters()):
                    setattr(module, name, nn.SyncBatchNorm.convert_sync_batchnorm(child))
        self.module = module
        if get_world_size() > 1:
            with torch.no_grad():
                for tensor in list(module.parameters()) + \
                        (list(module.buffers()) if broadcast_buffers else []):
                    broadcast(tensor.data, src=0)

    def train_step(self, data, optim_wrapper):
        wrappers = optim_wrapper.values() if isinstance(optim_wrapper, OptimWrapperDict) \
            else [optim_wrapper]
        for wrapper in wrappers:
            sync_before_step(wrapper)
        log_vars = self.module.train_step(data, optim_wrapper)
        if not self.sync_bn:
            average_batch_norm_statistics(self.module)
        return log_vars

    def val_step(self, data):
        return self.module.val_step(data)

    def test_step(self, data):
        return self.module.test_step(data)

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)
