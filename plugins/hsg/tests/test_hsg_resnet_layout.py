"""The in-place switch from HSG's OS16 training layout to its OS8 test layout."""
import pytest
import torch

from useg.registry import MODELS
from useg_hsg.resnet_layout import read_layout, resnet_layout

TEST_LAYOUT = dict(strides=(1, 2, 1, 1),
                   dilations=((1, 1, 1), (1, 1, 1, 1), (1, 2, 2, 2, 2, 2), (2, 8, 16)))


def test_test_layout_equals_a_network_built_with_it():
    torch.manual_seed(0)
    train_net = MODELS.build(dict(type='TorchvisionResNet', depth=50, strides=(1, 2, 2, 1),
                                  dilations=(1, 1, 1, 2), multi_grid=(1, 4, 8)))
    train_net.eval()
    assert read_layout(train_net) == ((1, 2, 2, 1), ((1, 1, 1), (1, 1, 1, 1), (1,) * 6,
                                                     (1, 4, 8)))
    test_net = MODELS.build(dict(type='TorchvisionResNet', depth=50, strides=(1, 2, 1, 1),
                                 dilations=(1, 1, 2, 4), multi_grid=(2, 8, 16)))
    test_net.eval()
    test_net.load_state_dict(train_net.state_dict())
    assert read_layout(test_net) == (TEST_LAYOUT['strides'], TEST_LAYOUT['dilations'])
    images = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        assert train_net(images).shape[-2:] == (2, 2)
        with resnet_layout(train_net, **TEST_LAYOUT):
            switched = train_net(images)
        assert torch.allclose(switched, test_net(images), atol=1e-5)
        assert switched.shape[-2:] == (4, 4)
        assert train_net(images).shape[-2:] == (2, 2)


def test_basic_block_resnets_are_refused():
    net = MODELS.build(dict(type='TorchvisionResNet', depth=18))
    with pytest.raises(TypeError, match='Bottleneck'):
        with resnet_layout(net, (1, 2, 1, 1), ((1, 1),) * 4):
            pass
