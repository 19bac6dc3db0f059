"""Tools never destroy user data, and bad input ends in one line naming the file and the fix."""
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from PIL import Image

from tests.apis.test_tools import TINY, data_root_options, run_tool, trained  # noqa: F401
from tests.conftest import config_path
from useg.testing import tiny_config_methods


@pytest.fixture
def images(synthetic_data_root, tmp_path):
    """A folder with ``a.jpg``, ``a.png`` (same stem) and ``b.png``; returns (folder, bytes)."""
    folder = tmp_path / 'photos'
    folder.mkdir()
    source = osp.join(synthetic_data_root, 'imgs', 'val')
    first, second = sorted(__import__('os').listdir(source))[:2]
    Image.open(osp.join(source, first)).convert('RGB').save(folder / 'a.jpg')
    shutil.copy(osp.join(source, first), folder / 'a.png')
    shutil.copy(osp.join(source, second), folder / 'b.png')
    return folder, {p.name: p.read_bytes() for p in folder.iterdir()}


def test_infer_refuses_an_out_dir_that_is_or_contains_the_inputs(trained, images, capsys):  # noqa: F811
    _, checkpoint = trained
    folder, contents = images
    for out_dir in (folder, folder.parent):
        assert run_tool('infer', TINY, checkpoint, str(folder), '--out-dir', str(out_dir)) == 1
        assert f'--out-dir {out_dir} is or contains the input folder' in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == contents  # untouched


def test_infer_names_cannot_collide_and_the_count_is_true(trained, images, tmp_path, capsys):  # noqa: F811
    _, checkpoint = trained
    folder, contents = images
    out = tmp_path / 'out'
    assert run_tool('infer', TINY, checkpoint, str(folder), '--out-dir', str(out)) == 0
    assert f'wrote 3 label maps and overlays to {out}' in capsys.readouterr().out
    labels = sorted(p.name for p in out.iterdir() if not p.name.endswith(('_overlay.png', '_crf.png')))
    assert labels == ['a_jpg.png', 'a_png.png', 'b.png']  # one extension each
    # the config computes the CRF: its maps are written too, beside the plain ones
    assert sorted(p.name for p in out.iterdir() if p.name.endswith('_crf.png')) == [
        'a_jpg_crf.png', 'a_png_crf.png', 'b_crf.png']
    assert Image.open(out / 'b_crf.png').size == (96, 96)
    assert Image.open(out / 'b.png').size == (96, 96)  # original size without --short-side
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == contents


def test_infer_skip_bad_warns_and_goes_on_else_stops_naming_the_image(trained, images, tmp_path,  # noqa: F811
                                                                      capsys):
    _, checkpoint = trained
    folder, _ = images
    (folder / 'broken.png').write_bytes(b'not an image')
    assert run_tool('infer', TINY, checkpoint, str(folder), '--out-dir', str(tmp_path / 'o1')) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f'error: cannot read image {folder / "broken.png"}') and '--skip-bad' in err
    with pytest.warns(RuntimeWarning, match='skipping unreadable image .*broken.png'):
        assert run_tool('infer', TINY, checkpoint, str(folder), '--out-dir', str(tmp_path / 'o2'),
                        '--skip-bad') == 0
    assert 'wrote 3 label maps' in capsys.readouterr().out


def test_every_tiny_config_has_its_own_default_work_dir():
    from useg.apis import load_config
    work_dirs = {plugin: load_config(config_path(plugin, 'tiny_synthetic.py')).work_dir
                 for plugin in tiny_config_methods()}
    assert work_dirs['primaps'] == osp.join('./work_dirs', 'primaps_tiny_synthetic')
    assert len(set(work_dirs.values())) == len(work_dirs)
    assert load_config(config_path('stego', 'stego_dino_vitb8_cocostuff27.py')).work_dir == \
        osp.join('./work_dirs', 'stego_dino_vitb8_cocostuff27')


def test_own_data_without_labels_trains_and_infers_and_test_says_it_needs_labels(
        synthetic_data_root, tmp_path, capsys):
    root = tmp_path / 'own'
    shutil.copytree(osp.join(synthetic_data_root, 'imgs'), root / 'imgs')
    options = [*data_root_options(root), 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
               'default_hooks.checkpoint.interval=2']
    with pytest.warns(RuntimeWarning, match='validation images have no labels'):
        assert run_tool('train', TINY, '--work-dir', str(tmp_path / 'w'), '--cfg-options', *options) == 0
    checkpoint = str(tmp_path / 'w' / 'iter_2.pth')
    assert run_tool('infer', TINY, checkpoint, str(root / 'imgs' / 'val'), '--out-dir',
                    str(tmp_path / 'out')) == 0
    assert run_tool('test', TINY, checkpoint, '--cfg-options', *options) == 1
    assert 'evaluation needs labels' in capsys.readouterr().err


def test_colour_labels_and_corrupt_images_stop_training_in_one_line(synthetic_data_root, tmp_path,
                                                                     capsys):
    root = tmp_path / 'data'
    shutil.copytree(synthetic_data_root, root)
    label = sorted((root / 'labels' / 'train').iterdir())[0]
    grey = np.array(Image.open(label))
    Image.fromarray(np.stack([grey] * 3, -1)).save(label)  # an RGB label
    options = [*data_root_options(root), 'train_cfg.max_iters=4', 'train_cfg.val_interval=100',
               'train_dataloader.sampler.shuffle=False']
    assert run_tool('train', TINY, '--work-dir', str(tmp_path / 'w'), '--cfg-options', *options) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f'label {label} is a colour image' in err

    Image.fromarray(grey).save(label)
    image = sorted((root / 'imgs' / 'train').iterdir())[1]
    image.write_bytes(b'\x89PNG truncated')
    for workers in (0, 2):  # in the main process, and re-raised from a DataLoader worker
        assert run_tool('train', TINY, '--work-dir', str(tmp_path / 'w'), '--cfg-options', *options,
                        f'train_dataloader.num_workers={workers}') == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and f'image {image}' in err, err


def test_config_syntax_error_names_the_file_and_debug_keeps_the_traceback(tmp_path, capsys):
    config = tmp_path / 'broken.py'
    config.write_text("model = dict(\n    type='X',\n")
    assert run_tool('train', str(config)) == 1
    assert capsys.readouterr().err.strip().startswith(f'error: config {config} has a syntax error')
    from useg.utils import UsegError
    with pytest.raises(UsegError, match='syntax error'):
        run_tool('train', str(config), '--debug')


def test_threads_flag_and_environment_variable(monkeypatch, tmp_path):
    previous = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        run_tool('train', str(tmp_path / 'missing.py'), '--threads', '1')
        assert torch.get_num_threads() == 1
        monkeypatch.setenv('USEG_THREADS', '2')
        run_tool('train', str(tmp_path / 'missing.py'))
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(previous)


def test_infer_refuses_a_saliency_only_prediction():
    """MaskContrast without a linear probe predicts a 0/1 saliency mask, not segments."""
    import pytest
    import torch
    from mmseg.structures import SegDataSample
    from mmengine.structures import PixelData

    from useg.apis.inference import check_segments
    from useg.utils import UsegError
    sample = SegDataSample()
    sample.saliency_sem_seg = sample.pred_sem_seg = PixelData(data=torch.zeros(1, 4, 4))
    with pytest.raises(UsegError, match='predicts only a foreground/background saliency mask'):
        check_segments(sample, 'mc.pth')
    sample.linear_pred_sem_seg = PixelData(data=torch.zeros(1, 4, 4))
    check_segments(sample)  # with its linear probe: segments
