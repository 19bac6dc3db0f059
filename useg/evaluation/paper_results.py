"""The numbers the papers report, keyed ``'<method>/<backbone>/<dataset>'``, for reproduction reports.

Every plugin brings its own rows: its package exposes ``PAPER_RESULTS = {key: entry}`` (e.g.
``useg_stego/paper_results.py``), and ``PAPER_RESULTS`` here is all installed plugins' rows together
(``useg.plugins.discover_plugins()``, read on first use). A config names its row with
``paper_results = '<key>'`` (or gives a full entry as a dict; ``None``: no row); the reproduction
report (``tools/reproduce.py``) prints these numbers beside the measured mean ± std. Every row is
named by a shipped config (tests/evaluation/test_paper_results.py).

Every entry: ``source`` (table and caveats, from ``/work/shared/specs``), ``protocol`` (``crop``,
``crf``, ``flip``: how the paper evaluated) and ``cluster`` / ``linear`` = ``(Acc, mIoU)`` in percent
(``None`` where the paper gives no number). ``protocol['crf']`` decides which of useg's metrics
the numbers are compared with: ``crf_cluster/*`` and ``crf_linear/*`` when True.
"""
from collections.abc import Mapping
from types import ModuleType

from useg.utils import UsegError


def plugin_paper_results():
    """``{key: entry}`` of every installed plugin's ``PAPER_RESULTS``; a key two plugins give is an
    error naming both."""
    from useg.plugins import discover_plugins
    rows, owners = {}, {}
    for name, module in sorted(discover_plugins().items()):
        if not isinstance(module, ModuleType):  # failed to import: already warned
            continue
        for key, entry in getattr(module, 'PAPER_RESULTS', {}).items():
            if key in owners:
                raise UsegError(f'paper_results row {key!r} is given by the plugins {owners[key]!r} '
                                f'and {name!r}: rename one in its PAPER_RESULTS')
            rows[key], owners[key] = entry, name
    return rows


class _PluginPaperResults(Mapping):
    """The read-only ``PAPER_RESULTS`` mapping, gathered from the plugins on first access."""

    def _rows(self):
        return plugin_paper_results()

    def __getitem__(self, key):
        return self._rows()[key]

    def __iter__(self):
        return iter(self._rows())

    def __len__(self):
        return len(self._rows())


PAPER_RESULTS = _PluginPaperResults()


def resolve_paper_results(value):
    """A config's ``paper_results`` (a key of ``PAPER_RESULTS`` or a full entry) -> entry or None."""
    if value is None:
        return None
    if isinstance(value, str):
        rows = plugin_paper_results()
        if value not in rows:
            raise UsegError(f'paper_results {value!r} is not a key of any installed plugin\'s '
                            f'PAPER_RESULTS (useg.evaluation.paper_results.PAPER_RESULTS)')
        return rows[value]
    entry = dict(value)
    missing = {'source', 'protocol'} - set(entry)
    if missing:
        raise UsegError(f'paper_results needs {sorted(missing)} (see useg/evaluation/paper_results.py)')
    return entry


def paper_metrics(entry):
    """``{'crf_cluster/mIoU': 21.3, ...}``: the entry's numbers under useg's metric names."""
    prefix = 'crf_' if entry['protocol'].get('crf') else ''
    metrics = {}
    for probe in ('cluster', 'linear'):
        for name, value in zip(('Acc', 'mIoU'), entry.get(probe) or (None, None)):
            if value is not None:
                metrics[f'{prefix}{probe}/{name}'] = float(value)
    return metrics
