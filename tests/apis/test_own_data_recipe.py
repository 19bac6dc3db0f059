"""README's "your own data" recipe, run verbatim (paths filled in) on every method's tiny config:
a generated folder with 6 classes and 80 px images (the demo data: 4 classes, 96 px). MaskContrast
clusters one embedding per image: 8 validation images for 6 clusters."""
import os.path as osp
import re

import pytest

from useg.testing import tiny_config_methods

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = tiny_config_methods()  # the baseline and every installed plugin with a tiny config
# MaskContrast has no cluster probe: its clusters are fitted by k-means over the test split
# (MaskKMeansMetric), so there is nothing for tools/infer.py to apply to single images.
NO_INFER = {'maskcontrast'}


def readme_recipe():
    text = open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8').read()
    match = re.search(r'<!-- own-data-recipe -->\s*```python\n(.*?)```', text, re.S)
    assert match, 'README.md lost its own-data recipe block'
    return match.group(1)


@pytest.fixture(scope='module')
def my_images(tmp_path_factory):
    from useg.datasets import make_synthetic_dataset
    root = tmp_path_factory.mktemp('my_images')
    make_synthetic_dataset(str(root), num_train=8, num_val=8, size=(80, 80), num_classes=6, seed=1)
    return str(root)


@pytest.mark.parametrize('method', TINY)
def test_own_data_recipe_trains_tests_and_infers(method, my_images, tmp_path, train_test):
    from useg.apis import init_segmentor, load_config, segment_images
    recipe = readme_recipe()
    assert "'../baseline/tiny_synthetic.py'" in recipe and "'data/my_images'" in recipe
    config = tmp_path / 'my_method.py'
    config.write_text(recipe.replace("'../baseline/tiny_synthetic.py'",
                                     repr(f'{REPO_ROOT}/configs/{method}/tiny_synthetic.py'))
                      .replace("'data/my_images'", repr(my_images)))
    cfg = load_config(str(config))
    assert cfg.num_classes == 6
    work_dir = str(tmp_path / 'work_dir')
    metrics = train_test(str(config), cfg_options={'train_cfg.max_iters': 2,
                                                    'default_hooks.checkpoint.interval': 2},
                         work_dir=work_dir, data_root=my_images)
    assert any(key.endswith('mIoU') for key in metrics), metrics
    if method in NO_INFER:
        return
    model = init_segmentor(str(config), osp.join(work_dir, 'iter_2.pth'), device='cpu')
    written = segment_images(model, [osp.join(my_images, 'imgs', 'val')], str(tmp_path / 'infer'),
                             short_side=80)
    assert len(written) == 8
