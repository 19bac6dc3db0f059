"""useg reproduce: two tiny configs x 2 seeds end to end, report contents, no work on re-run."""
import csv
import json
import os
import os.path as osp

import numpy as np
from PIL import Image

from useg.tools import reproduce

HERE = osp.dirname(osp.abspath(__file__))
REPO_ROOT = osp.dirname(osp.dirname(HERE))
WITH_PAPER = osp.join(HERE, 'configs', 'tiny_baseline_with_paper_results.py')
PRIMAPS = osp.join(REPO_ROOT, 'configs', 'primaps', 'tiny_synthetic.py')  # needs pseudo labels
QUICK = ['train_cfg.max_iters=2', 'train_cfg.val_interval=100', 'default_hooks.checkpoint.interval=2',
         'default_hooks.logger.interval=1']


def run(work_dir, data_root, capsys):
    reproduce.main([WITH_PAPER, PRIMAPS, '--seeds', '0', '1', '--work-dir', work_dir,
                    '--data-root', data_root, '--workers', '0', '--cfg-options', *QUICK])
    return capsys.readouterr()


def test_reproduce_two_configs_two_seeds_report_and_rerun(synthetic_data_root, tmp_path,
                                                           monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    work_dir = str(tmp_path / 'reproduce')
    output = run(work_dir, synthetic_data_root, capsys)
    assert '4 of 4 runs executed' in output.out
    assert 'reproduce' in output.err and '4/4' in output.err  # progress bar over the runs
    assert 'computed' in output.out  # PriMaPs' pseudo labels, cached under each run's work dir
    assert list((tmp_path / 'reproduce').glob('*/*/seed_0/cache/**/*.png'))

    rows = json.loads((tmp_path / 'reproduce' / 'report.json').read_text())
    by_key = {(row['config'], row['metric']): row for row in rows}
    names = {row['config'] for row in rows}
    assert names == {'tiny_baseline_with_paper_results', 'primaps/tiny_synthetic'}
    for name in names:  # with and without CRF, both probes, both scores
        for metric in reproduce.METRICS:
            row = by_key[(name, metric)]
            assert row['n'] == 2 and row['seeds'] == [0, 1] and 0 <= row['mean'] <= 100
    # mean and std are those of the two seeds' stored metrics
    seeds = [json.loads((tmp_path / 'reproduce' / 'tiny_baseline_with_paper_results' / f'seed_{s}' /
                         'metrics.json').read_text())['metrics']['cluster/mIoU'] for s in (0, 1)]
    row = by_key[('tiny_baseline_with_paper_results', 'cluster/mIoU')]
    assert np.isclose(row['mean'], np.mean(seeds)) and np.isclose(row['std'], np.std(seeds, ddof=1))
    assert seeds[0] != seeds[1]  # the seed changes the run
    # paper column: declared numbers under the protocol's metric names (CRF off -> plain)
    assert row['paper'] == 30.0 and np.isclose(row['diff'], row['mean'] - 30.0)
    assert by_key[('tiny_baseline_with_paper_results', 'linear/Acc')]['paper'] == 70.0
    assert by_key[('tiny_baseline_with_paper_results', 'linear/mIoU')]['paper'] is None
    assert by_key[('tiny_baseline_with_paper_results', 'crf_cluster/mIoU')]['paper'] is None
    assert by_key[('primaps/tiny_synthetic', 'cluster/mIoU')]['paper'] is None

    markdown = (tmp_path / 'reproduce' / 'report.md').read_text()
    assert f'| cluster/mIoU | {row["mean"]:.1f} ± {row["std"]:.1f} | 2 | 30.0 | {row["diff"]:+.1f} |' \
        in markdown
    assert 'protocol: crop none; crf off; flip off' in markdown
    with open(tmp_path / 'reproduce' / 'report.csv') as file:
        assert len(list(csv.DictReader(file))) == 2 * len(reproduce.METRICS)
    chart = np.asarray(Image.open(tmp_path / 'reproduce' / 'report.png').convert('RGB'))
    assert chart.shape[0] > 300 and len(np.unique(chart.reshape(-1, 3), axis=0)) > 50

    # a re-run does no work; after losing one run's evaluation only that evaluation is redone
    checkpoints = sorted((tmp_path / 'reproduce').rglob('*.pth'))
    stamps = [path.stat().st_mtime_ns for path in checkpoints]
    assert '0 of 4 runs executed' in run(work_dir, synthetic_data_root, capsys).out
    (tmp_path / 'reproduce' / 'primaps' / 'tiny_synthetic' / 'seed_1' / 'metrics.json').unlink()
    assert '1 of 4 runs executed' in run(work_dir, synthetic_data_root, capsys).out
    assert [path.stat().st_mtime_ns for path in checkpoints] == stamps  # no retraining
    assert sorted((tmp_path / 'reproduce').rglob('*.pth')) == checkpoints


def write_config(folder, base, text=''):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / 'exp.py').write_text(f'_base_ = [{base!r}]\n{text}')
    return str(folder / 'exp.py')


def test_configs_sharing_a_file_name_get_their_own_runs_and_no_crf_leaves_no_crf_rows(
        synthetic_data_root, tmp_path, monkeypatch, capsys):
    """Runs are keyed by config content: two ``exp.py`` -> two runs, two report sections; a
    folder with another config's results is never reused; ``--no-crf`` even where the config
    sets ``test_cfg.crf=True``."""
    monkeypatch.chdir(tmp_path)
    first = write_config(tmp_path / 'a', WITH_PAPER)
    second = write_config(tmp_path / 'b', WITH_PAPER, "paper_results = None\n")
    work_dir = tmp_path / 'reproduce'

    def reproduce_(*configs):
        reproduce.main([*configs, '--seeds', '0', '--work-dir', str(work_dir), '--no-crf',
                        '--data-root', synthetic_data_root, '--workers', '0',
                        '--cfg-options', *QUICK])
        return capsys.readouterr().out

    assert '1 of 1 runs executed' in reproduce_(first)
    assert json.loads((work_dir / 'exp' / 'seed_0' / 'run.json').read_text())['config'] == first
    # another config named exp.py: its own run, not the first one's result
    assert '1 of 1 runs executed' in reproduce_(second)
    (other,) = [path for path in work_dir.glob('exp-*') if path.is_dir()]
    assert json.loads((other / 'seed_0' / 'run.json').read_text())['config'] == second
    # both together: nothing runs again, two report sections
    assert '0 of 2 runs executed' in reproduce_(first, second)
    rows = json.loads((work_dir / 'report.json').read_text())
    assert {row['config'] for row in rows} == {'exp', other.name}
    assert {row['config_path'] for row in rows} == {first, second}
    markdown = (work_dir / 'report.md').read_text()
    assert markdown.count('\n## exp') == 2
    assert rows and not [row for row in rows if row['metric'].startswith('crf_')]
    for folder in (work_dir / 'exp', other):
        metrics = json.loads((folder / 'seed_0' / 'metrics.json').read_text())['metrics']
        assert 'cluster/mIoU' in metrics and not [key for key in metrics if 'crf' in key]
