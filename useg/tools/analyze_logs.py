"""Plot loss and metric curves of training runs (as mmseg's ``tools/analyze_logs.py``).

``useg analyze-logs WORK_DIR_OR_JSON... [--keys loss cluster/mIoU] [--legend A B] [--out FILE]``

Reads mmengine's scalar logs (``<work_dir>/<timestamp>/vis_data/scalars.json``; every timestamp
of a work dir in order, so resumed runs join up) and draws one subplot per key, one line per
input. Default keys: every loss and every evaluation metric (``cluster/mIoU``, ...).
"""
import argparse
import glob
import json
import os.path as osp

from useg.utils import UsegError, run_cli
from useg.utils.errors import add_tool_flags

NOT_CURVES = {'step', 'iter', 'epoch'}


def scalar_logs(path):
    """``path`` (a work dir or a json log) -> its scalar json files, oldest run first."""
    if osp.isfile(path):
        return [path]
    files = sorted(glob.glob(osp.join(path, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise UsegError(f'no mmengine scalar logs (*/vis_data/scalars.json) under {path}')
    return files


def read_scalars(files):
    """``{key: (steps, values)}`` of every numeric entry of the json-lines ``files``."""
    curves = {}
    for file_name in files:
        with open(file_name) as file:
            for line in file:
                if not line.strip():
                    continue
                record = json.loads(line)
                step = record.get('step', record.get('iter'))
                for key, value in record.items():
                    if key not in NOT_CURVES and isinstance(value, (int, float)) and step is not None:
                        steps, values = curves.setdefault(key, ([], []))
                        steps.append(step)
                        values.append(value)
    return curves


def default_keys(curves):
    """Losses first, then evaluation metrics (keys with a '/'), in log order."""
    losses = [key for key in curves if key.startswith('loss')]
    return losses + [key for key in curves if '/' in key]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='useg analyze-logs', description=__doc__.split('\n')[0])
    parser.add_argument('logs', nargs='+', help='work dirs or scalars.json files')
    parser.add_argument('--keys', nargs='+', help='curves to plot (default: losses and metrics)')
    parser.add_argument('--legend', nargs='+', help='one name per input (default: its path)')
    parser.add_argument('--title', help='figure title')
    parser.add_argument('--out', help='PNG to write (default: <first input>/curves.png)')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    from useg.visualization import plot_curves
    args = parse_args(argv)
    legend = args.legend or [osp.basename(osp.normpath(path)) for path in args.logs]
    if len(legend) != len(args.logs):
        raise UsegError(f'--legend needs {len(args.logs)} names, got {len(legend)}')
    runs = {label: read_scalars(scalar_logs(path)) for label, path in zip(legend, args.logs)}
    keys = args.keys or list(dict.fromkeys(key for curves in runs.values()
                                           for key in default_keys(curves)))
    series = {key: {label: curves[key] for label, curves in runs.items() if key in curves}
              for key in keys}
    missing = [key for key, lines in series.items() if not lines]
    if missing or not series:
        known = sorted({key for curves in runs.values() for key in curves})
        raise UsegError(f'no values for {", ".join(missing) or "any loss or metric"} in the logs; '
                        f'logged keys: {", ".join(known) or "none"}')
    first = args.logs[0]
    out = args.out or osp.join(first if osp.isdir(first) else osp.dirname(first), 'curves.png')
    plot_curves(series, out, args.title)
    print(f'wrote {out} ({len(series)} curves: {", ".join(series)})')
    return out


if __name__ == '__main__':
    run_cli(main)
