"""Validation reuses frozen features: the 2nd validation runs no backbone, gives the same metrics,
and the memo is off for trainable backbones / random pipelines and cleared when weights change."""
import os.path as osp
import time

import pytest
import torch

from useg.apis import build_runner, load_config, set_data_root
from useg.features import FeatureMemo

from ..backbone_calls import counting_forward

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'baseline', 'tiny_synthetic.py')


def runner_for(data_root, tmp_path, judge_cost=False, **options):
    """``judge_cost=False``: the memo stays on whatever the tiny backbone costs."""
    cfg = load_config(CONFIG, options, work_dir=str(tmp_path / 'work'))
    set_data_root(cfg, data_root)
    cfg.model.test_cfg = dict(flip=True)  # two views per batch: two memo entries per sample
    cfg.custom_hooks = [dict(type='FrozenFeatureMemoHook', judge_cost=judge_cost)]
    return build_runner(cfg)


def test_memo_stays_on_where_the_backbone_costs_more_than_its_keys(synthetic_data_root, tmp_path,
                                                                   monkeypatch):
    from useg.models.backbones import DINOViT
    calls, forward = [], DINOViT.forward

    def slow(self, inputs):  # a backbone far slower than the memo's bookkeeping
        calls.append(len(inputs))
        time.sleep(0.2)
        return forward(self, inputs)

    monkeypatch.setattr(DINOViT, 'forward', slow)
    runner = runner_for(synthetic_data_root, tmp_path, judge_cost=True)
    for _ in range(3):
        runner.val_loop.run()
    assert sum(calls) == 16  # the later validations reused every output


def test_memo_switches_itself_off_where_it_costs_more_than_it_saves(synthetic_data_root, tmp_path,
                                                                    monkeypatch, forward_calls):
    from useg.features import feature_memo
    signatures = feature_memo.input_signatures

    def slow_signatures(inputs):  # keys far dearer than the tiny backbone's pass
        time.sleep(0.3)
        return signatures(inputs)

    monkeypatch.setattr(feature_memo, 'input_signatures', slow_signatures)
    runner = runner_for(synthetic_data_root, tmp_path, judge_cost=True)
    first = runner.val_loop.run()
    assert runner.val_loop.run() == first and sum(forward_calls) == 16  # served (slowly)
    assert runner.val_loop.run() == first and sum(forward_calls) == 32  # computed again
    hook = next(hook for hook in runner.hooks if type(hook).__name__ == 'FrozenFeatureMemoHook')
    assert hook.too_costly and 'costs more than it saves' in hook.too_costly


@pytest.fixture
def forward_calls(monkeypatch):
    return counting_forward(monkeypatch)


def test_second_validation_runs_no_backbone_and_gives_the_same_metrics(synthetic_data_root, tmp_path,
                                                                       forward_calls):
    runner = runner_for(synthetic_data_root, tmp_path)
    first = runner.val_loop.run()
    assert sum(forward_calls) == 16  # 8 images x (image + flipped view)
    second = runner.val_loop.run()
    assert sum(forward_calls) == 16  # nothing recomputed
    assert first == second
    hook = next(hook for hook in runner.hooks if type(hook).__name__ == 'FrozenFeatureMemoHook')
    assert hook.memo.hits == 16 and len(hook.memo.entries) == 16
    # new backbone weights (e.g. a checkpoint loaded): everything is computed again
    backbone = runner.model.backbone
    backbone.load_state_dict({key: value + 0.01 if value.is_floating_point() else value
                              for key, value in backbone.state_dict().items()})
    runner.val_loop.run()
    assert sum(forward_calls) == 32


def test_memo_is_off_for_random_pipelines(synthetic_data_root, tmp_path, forward_calls):
    runner = runner_for(synthetic_data_root, tmp_path, **{
        'val_dataloader.dataset.pipeline': [dict(type='LoadImageFromFile'),
                                            dict(type='RandomFlip', prob=0.5),
                                            dict(type='LoadAnnotations'), dict(type='PackSegInputs')]})
    runner.val_loop.run()
    runner.val_loop.run()
    assert sum(forward_calls) == 32


def test_memo_is_off_for_a_trained_backbone(synthetic_data_root, tmp_path, forward_calls):
    runner = runner_for(synthetic_data_root, tmp_path)
    runner.model.backbone.requires_grad_(True)
    runner.val_loop.run()
    runner.val_loop.run()
    assert sum(forward_calls) == 32


def test_outputs_beyond_the_budget_are_memory_mapped(tmp_path):
    memo = FeatureMemo(max_bytes=100, spill_dir=str(tmp_path / 'spill'))
    small, large = torch.randn(2, 3), torch.randn(4, 8, 8)
    memo.put('a', (small, ))
    memo.put('b', (large, ))
    assert isinstance(memo.entries['a'][0], torch.Tensor)
    assert isinstance(memo.entries['b'][0], str) and memo.entries['b'][0].endswith('.npy')
    assert torch.equal(memo.get('b')[0], large) and torch.equal(memo.get('a')[0], small)
    memo.clear()
    assert memo.get('a') is None and not (tmp_path / 'spill').exists()


def test_bf16_outputs_spill_and_come_back_bit_for_bit(tmp_path):
    memo = FeatureMemo(max_bytes=0, spill_dir=str(tmp_path / 'spill'))
    half = torch.randn(4, 8, 8).bfloat16()  # a frozen pass under backbone_precision='bf16'
    memo.put('a', (half, ))
    assert isinstance(memo.entries['a'][0], str)
    back = memo.get('a')[0]
    assert back.dtype == torch.bfloat16 and torch.equal(back, half)


def test_memo_in_a_bf16_validation_gives_the_metrics_of_a_fresh_pass(synthetic_data_root,
                                                                       tmp_path, forward_calls):
    runner = runner_for(synthetic_data_root, tmp_path, **{'model.backbone_precision': 'bf16'})
    first = runner.val_loop.run()
    second = runner.val_loop.run()
    assert sum(forward_calls) == 16 and first == second
    full = runner_for(synthetic_data_root, tmp_path / 'fp32').val_loop.run()
    assert abs(first['cluster/mIoU'] - full['cluster/mIoU']) <= 5
