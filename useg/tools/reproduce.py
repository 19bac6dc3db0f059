"""Reproduce configs over several seeds and report mean ± std beside the papers' numbers.

``useg reproduce CONFIG... --seeds 0 1 2 [--work-dir DIR] [--data-root DIR] [--no-crf]
[--checkpoint DST...]``

For every config × seed (``<work-dir>/<config name>/seed_<seed>``; ``<config name>-<digest>``
when two configs share a name or the folder holds another config's runs: a run is keyed by the
merged config's content digest and the seed, ``run.json``): precompute what the method
needs (pseudo labels / KNN table, cached), train (resuming an interrupted run), test the LAST
checkpoint (never one selected with evaluation labels) with and without dense CRF, and store
``metrics.json``. A finished step is never run again, so the command can be re-run after an
interruption. Then ``report.md``, ``report.csv``, ``report.json`` and ``report.png`` (bar chart,
error bars = std over seeds, paper numbers as markers) are written to the work dir.
``--checkpoint`` (one per config, e.g. a released model converted by ``useg convert-checkpoint``)
is evaluated the same way under ``<work-dir>/<config>/released`` and adds a "released" column.
"""
import argparse
import csv
import glob
import json
import math
import os
import os.path as osp
import sys
from dataclasses import dataclass

from mmengine.config import DictAction

from useg.utils import atomic_path, run_cli
from useg.utils.errors import add_tool_flags
from .config_paths import config_name, resolve_config_path
from useg.precompute import run_precomputes

METRICS = tuple(f'{crf}{probe}/{name}' for crf in ('', 'crf_') for probe in ('cluster', 'linear')
                for name in ('Acc', 'mIoU'))
TRAIN_DONE = 'train_done.json'
METRICS_FILE = 'metrics.json'
RUN_FILE = 'run.json'  # the identity (config path, content digest, seed) of a run's folder


@dataclass
class Run:
    """One training + evaluation of ``config`` (content digest ``digest``) with ``seed`` in
    ``work_dir``; ``name`` heads its report section."""
    config: str
    name: str
    seed: int
    work_dir: str
    digest: str = ''

    def finished(self, crf=True):
        """Whether ``metrics.json`` of this run exists (with the ``crf_*`` metrics when ``crf``)."""
        path = osp.join(self.work_dir, METRICS_FILE)
        if not osp.isfile(path):
            return False
        return not crf or any(key.startswith('crf_') for key in _read_json(path)['metrics'])

    def identity(self):
        return dict(config=osp.abspath(self.config), digest=self.digest, seed=self.seed)


def config_digest(path, cfg_options=None, data_root=None):
    """Content digest of the merged config ``path`` as the runs use it (bases, ``--cfg-options``,
    ``--data-root``; not the work dir or the seed)."""
    from useg.apis import load_config, set_data_root
    from useg.utils import cache_key
    cfg = load_config(path, cfg_options, 'work_dir')
    if data_root:
        set_data_root(cfg, data_root)
    params = cfg.to_dict()
    params.pop('work_dir', None)
    return cache_key(params)


def _stored_digest(folder):
    """The config digest recorded in ``folder``'s runs (``run.json``), '' when none ran there."""
    for path in sorted(glob.glob(osp.join(glob.escape(folder), '*', RUN_FILE))):
        return _read_json(path).get('digest', '')
    has_results = glob.glob(osp.join(glob.escape(folder), '*', METRICS_FILE)) + \
        glob.glob(osp.join(glob.escape(folder), '*', TRAIN_DONE))
    return None if has_results else ''  # None: results of an unknown config


def plan_runs(configs, seeds, work_dir, cfg_options=None, data_root=None):
    """Every config × seed as a ``Run`` under ``<work_dir>/<config name>/seed_<seed>``.

    Runs are keyed by the config's content digest: configs that share a name (two ``exp.py``)
    and a folder that holds the results of another config get ``<name>-<digest>`` instead (and
    keep it in later invocations), so no run reuses another config's results.
    """
    resolved = {}
    for config in configs:
        path = resolve_config_path(config)
        resolved.setdefault(config_digest(path, cfg_options, data_root), path)
    names = {digest: config_name(path) for digest, path in resolved.items()}
    runs = []
    for digest, path in resolved.items():
        name = names[digest]
        suffixed = f'{name}-{digest[:8]}'
        stored = _stored_digest(osp.join(work_dir, name))
        if stored != digest and (_stored_digest(osp.join(work_dir, suffixed)) == digest or
                                 list(names.values()).count(name) > 1 or stored != ''):
            name = suffixed
        runs += [Run(path, name, seed, osp.join(work_dir, name, f'seed_{seed}'), digest)
                 for seed in seeds]
    return runs


def _run_config(run, args, work_dir):
    from useg.apis import load_config, set_data_root
    cfg = load_config(run.config, args.cfg_options, work_dir)
    if args.data_root:
        set_data_root(cfg, args.data_root)
    cfg.randomness = dict(cfg.get('randomness') or {}, seed=run.seed)
    cfg.launcher = args.launcher
    if args.tensorboard:
        from useg.visualization import enable_tensorboard
        enable_tensorboard(cfg)
    return cfg


def _write_json(data, path):
    """Write ``data`` to ``path`` atomically (an interruption leaves no half file)."""
    with atomic_path(path) as temporary, open(temporary, 'w') as file:
        json.dump(data, file, indent=2)


def _read_json(path):
    with open(path) as file:
        return json.load(file)


def train_run(run, args):
    """Precompute and train ``run`` unless done; returns the last checkpoint's path."""
    from mmengine.dist import barrier, get_rank

    from useg.apis import train
    done = osp.join(run.work_dir, TRAIN_DONE)
    if not osp.isfile(done):
        cfg = _run_config(run, args, run.work_dir)
        if get_rank() == 0:
            os.makedirs(run.work_dir, exist_ok=True)
            _write_json(run.identity(), osp.join(run.work_dir, RUN_FILE))
        if get_rank() == 0:
            run_precomputes(cfg, args.workers, args.device)
        barrier()
        checkpoint_hook = cfg.get('default_hooks', {}).get('checkpoint')
        if checkpoint_hook is not None:
            checkpoint_hook['save_best'] = None  # selection never looks at evaluation labels
        last = osp.join(run.work_dir, 'last_checkpoint')
        train(cfg, resume=osp.isfile(last), config_path=run.config)
        with open(last) as file:  # relative to the work dir (absolute in old work dirs)
            checkpoint = osp.join(run.work_dir, file.read().strip())
        if get_rank() == 0:
            _write_json(dict(checkpoint=checkpoint), done)
        barrier()
    return _read_json(done)['checkpoint']


def test_run(run, checkpoint, args):
    """Evaluate ``checkpoint`` (with CRF variants unless ``--no-crf``); stores ``metrics.json``."""
    from mmengine.dist import get_rank

    from useg.apis import test
    cfg = _run_config(run, args, osp.join(run.work_dir, 'test'))
    cfg.model.setdefault('test_cfg', {})['crf'] = bool(args.crf)
    metrics = test(cfg, checkpoint)
    metrics = {key: float(value) for key, value in metrics.items() if key in METRICS}
    if get_rank() == 0:
        os.makedirs(run.work_dir, exist_ok=True)
        _write_json(run.identity(), osp.join(run.work_dir, RUN_FILE))
        _write_json(dict(seed=run.seed, checkpoint=checkpoint, metrics=metrics),
                    osp.join(run.work_dir, METRICS_FILE))
    return metrics


def released_runs(runs, checkpoints, work_dir):
    """``{config: (Run, checkpoint)}``: the i-th checkpoint belongs to the i-th config."""
    configs = list(dict.fromkeys(run.config for run in runs))
    if len(checkpoints) != len(configs):
        from useg.utils import UsegError
        raise UsegError(f'--checkpoint takes one checkpoint per config: {len(checkpoints)} for '
                        f'{len(configs)} configs')
    first = {run.config: run for run in runs}
    return {config: (Run(config, first[config].name, 0,
                         osp.join(work_dir, first[config].name, 'released'), first[config].digest),
                     checkpoint) for config, checkpoint in zip(configs, checkpoints)}


def evaluate_released(released, args):
    """``{config: metrics}`` of each released checkpoint (evaluated once, then read back)."""
    results = {}
    for config, (run, checkpoint) in released.items():
        if not run.finished(args.crf):
            test_run(run, checkpoint, args)
        results[config] = _read_json(osp.join(run.work_dir, METRICS_FILE))['metrics']
    return results


def execute(runs, args):
    """Run what is not finished yet, with a progress bar (ETA) over the runs."""
    from mmengine.dist import get_rank
    from tqdm import tqdm
    todo = [run for run in runs if not run.finished(args.crf)]
    bar = tqdm(total=len(runs), initial=len(runs) - len(todo), unit='run', desc='reproduce',
               file=sys.stderr, dynamic_ncols=True, disable=get_rank() != 0)
    for run in todo:
        bar.set_postfix_str(f'{run.name} seed {run.seed}')
        checkpoint = train_run(run, args)
        test_run(run, checkpoint, args)
        bar.update()
    bar.close()
    return len(todo)


def _mean_std(values):
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((value - mean) ** 2 for value in values) / (len(values) - 1))


def summarize(runs, released=None, crf=True):
    """One row per config × metric: mean, sample std and n over seeds, paper number, difference,
    and the metric of the config's released checkpoint (``released``: ``{config: metrics}``);
    no ``crf_*`` rows unless ``crf``."""
    from mmengine.config import Config

    from useg.evaluation.paper_results import paper_metrics, resolve_paper_results
    rows, order = [], list(dict.fromkeys(run.config for run in runs))
    for config in order:
        config_runs = [run for run in runs if run.config == config]
        results = [_read_json(osp.join(run.work_dir, METRICS_FILE))['metrics'] for run in config_runs]
        paper = resolve_paper_results(Config.fromfile(config).get('paper_results'))
        reported = paper_metrics(paper) if paper else {}
        for metric in METRICS if crf else [key for key in METRICS if not key.startswith('crf_')]:
            values = [result[metric] for result in results if metric in result]
            if not values:
                continue
            mean, std = _mean_std(values)
            paper_value = reported.get(metric)
            rows.append(dict(
                config=config_runs[0].name, config_path=config, metric=metric, mean=mean, std=std, n=len(values),
                seeds=[run.seed for run, result in zip(config_runs, results) if metric in result],
                paper=paper_value, diff=None if paper_value is None else mean - paper_value,
                released=(released or {}).get(config, {}).get(metric),
                paper_protocol=_protocol_text(paper['protocol']) if paper else None,
                paper_source=paper['source'] if paper else None))
    return rows


def _protocol_text(protocol):
    return '; '.join(f'{key} {_on_off(value)}' for key, value in protocol.items())


def _on_off(value):
    return {True: 'on', False: 'off'}.get(value, value)


def _number(value, sign=''):
    return '–' if value is None else f'{value:{sign}.1f}'


def report_markdown(rows):
    """The report as Markdown: one table per config."""
    lines = ['# Reproduction report', '',
             'Percent, mean ± sample std over seeds; every run is evaluated at its last '
             'checkpoint (no selection with evaluation labels). `crf_*` = with dense CRF. '
             'Δ = ours − paper.', '']
    for config in dict.fromkeys(row['config'] for row in rows):
        config_rows = [row for row in rows if row['config'] == config]
        first = config_rows[0]
        lines += [f'## {config}', '', f'Config: `{first["config_path"]}`.',
                  f'Seeds: {", ".join(map(str, first["seeds"]))}.']
        if first['paper_source']:
            lines.append(f'Paper: {first["paper_source"]}; protocol: {first["paper_protocol"]}.')
        with_released = any(row.get('released') is not None for row in config_rows)
        extra = (' released checkpoint |', '---|') if with_released else ('', '')
        lines += ['', '| metric | ours (mean ± std) | n | paper | Δ |' + extra[0],
                  '|---|---|---|---|---|' + extra[1]]
        lines += [f'| {row["metric"]} | {row["mean"]:.1f} ± {row["std"]:.1f} | {row["n"]} | '
                  f'{_number(row["paper"])} | {_number(row["diff"], "+")} |' +
                  (f' {_number(row.get("released"))} |' if with_released else '')
                  for row in config_rows]
        lines.append('')
    return '\n'.join(lines)


def write_report(rows, out_dir):
    """``report.md``, ``report.csv``, ``report.json`` and ``report.png`` in ``out_dir``."""
    from useg.visualization import plot_reproduction
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'report.md'), 'w') as file:
        file.write(report_markdown(rows))
    fields = ['config', 'metric', 'mean', 'std', 'n', 'paper', 'diff', 'released', 'paper_protocol']
    with open(osp.join(out_dir, 'report.csv'), 'w', newline='') as file:
        writer = csv.DictWriter(file, fieldnames=fields, extrasaction='ignore')
        writer.writeheader()
        writer.writerows(rows)
    _write_json(rows, osp.join(out_dir, 'report.json'))
    plot_reproduction(rows, osp.join(out_dir, 'report.png'))
    return osp.join(out_dir, 'report.md')


def parse_args(argv=None):
    import torch
    parser = argparse.ArgumentParser(prog='useg reproduce', description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+', help='config files or shipped config names')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='default: 0 1 2')
    parser.add_argument('--work-dir', default='work_dirs/reproduce',
                        help='runs go to <work-dir>/<config>/seed_<seed>, the report to <work-dir>')
    parser.add_argument('--data-root', help="set every data_root of the configs to this folder")
    parser.add_argument('--no-crf', dest='crf', action='store_false',
                        help='evaluate without the dense-CRF variants (faster)')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes (precompute)')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu',
                        help='device of the precompute steps')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override entries of every config, e.g. train_cfg.max_iters=100')
    parser.add_argument('--checkpoint', nargs='+', default=None, metavar='DST',
                        help='one checkpoint per config (e.g. from useg convert-checkpoint): '
                             'evaluated too, a "released checkpoint" column in the report')
    parser.add_argument('--tensorboard', action='store_true', help='also log every run to TensorBoard')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    from mmengine.dist import get_rank, init_dist, is_distributed
    args = parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    if args.launcher != 'none' and not is_distributed():
        init_dist(args.launcher)
    runs = plan_runs(args.configs, args.seeds, args.work_dir, args.cfg_options,
                     args.data_root)
    released = released_runs(runs, args.checkpoint, args.work_dir) if args.checkpoint else {}
    executed = execute(runs, args)
    released_metrics = evaluate_released(released, args)
    if get_rank() == 0:
        report = write_report(summarize(runs, released_metrics, args.crf), args.work_dir)
        print(f'{executed} of {len(runs)} runs executed (the others were already done); '
              f'report: {report}')


if __name__ == '__main__':
    run_cli(main)
