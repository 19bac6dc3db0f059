"""README's "your own data" recipe, run exactly as written (only the paths are filled in)."""
import os.path as osp
import re

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def readme_recipe():
    text = open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8').read()
    match = re.search(r'<!-- own-data-recipe -->\s*```python\n(.*?)```', text, re.S)
    assert match, 'README.md lost its own-data recipe block'
    return match.group(1)


def test_own_data_recipe_trains_and_evaluates(tmp_path, train_test):
    from useg.datasets import make_synthetic_dataset
    root = tmp_path / 'my_images'
    make_synthetic_dataset(str(root), num_train=8, num_val=4, size=(64, 64), num_classes=3, seed=1)
    recipe = readme_recipe()
    assert "data_root = 'data/my_images'" in recipe and 'num_classes = 3' in recipe
    config = tmp_path / 'my_data.py'
    config.write_text(recipe.replace("'../", f"'{REPO_ROOT}/configs/")
                      .replace("'data/my_images'", repr(str(root))))
    metrics = train_test(str(config), cfg_options={'train_cfg.max_iters': 10,
                                                    'train_cfg.val_interval': 10,
                                                    'default_hooks.checkpoint.interval': 10},
                         data_root=str(root))
    assert 0 <= metrics['cluster/mIoU'] <= 100 and 0 <= metrics['linear/Acc'] <= 100
