import numpy as np
import pytest
from mmengine.registry import init_default_scope

import useg  # noqa: F401  (installs the mmcv.ops stand-in before mmseg is used)


@pytest.fixture(autouse=True)
def useg_scope():
    init_default_scope('useg')


@pytest.fixture
def every_raw_value():
    """``(16, 16)`` uint8 label holding each value 0..255 exactly once (row-major)."""
    return np.arange(256, dtype=np.uint8).reshape(16, 16)
