import io

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

from useg.engine.hooks.safe_checkpoint_hook import SafeCheckpointHook, from_plain, to_plain


def message_hub_state():
    hub = MessageHub.get_instance('useg_safe_checkpoint_test')
    for value in (1.0, 2.5, 4.0):
        hub.update_scalar('train/loss', value)
    hub.update_info('iter', np.int64(7))
    hub.update_info('lr', np.array([0.1, 0.2]))
    return hub.state_dict()


def save_and_load(checkpoint):
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


def test_plain_mmengine_checkpoint_is_refused_by_safe_loading():
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        save_and_load({'message_hub': message_hub_state()})


def test_hook_makes_checkpoint_safe_and_restores_history_buffers():
    hook = SafeCheckpointHook()
    checkpoint = {'message_hub': message_hub_state(), 'meta': {'seed': np.int64(3), 'iter': 7},
                  'state_dict': {'w': torch.ones(2)}}
    hook.before_save_checkpoint(None, checkpoint)
    loaded = save_and_load(checkpoint)  # weights_only=True: no custom classes, no code
    hook.after_load_checkpoint(None, loaded)
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.current() == 4.0 and buffer.mean() == pytest.approx(2.5)
    assert loaded['message_hub']['runtime_info']['iter'] == 7
    assert loaded['meta']['seed'] == 3 and isinstance(loaded['meta']['seed'], int)
    torch.testing.assert_close(loaded['message_hub']['runtime_info']['lr'], torch.tensor([0.1, 0.2],
                                                                                        dtype=torch.float64))


def test_round_trip_keeps_counts_and_max_length():
    original = HistoryBuffer([1.0, 2.0], [1, 3], max_length=5)
    restored = from_plain(to_plain(original))
    assert restored.max_length == 5
    np.testing.assert_array_equal(restored.data[0], original.data[0])
    np.testing.assert_array_equal(restored.data[1], original.data[1])
