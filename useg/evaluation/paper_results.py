"""The numbers the papers report, keyed ``'<method>/<backbone>/<dataset>'``, for reproduction reports.

A config names its row with ``paper_results = '<key>'`` (or gives a full entry as a dict; ``None``:
no row); the reproduction report (``tools/reproduce.py``) prints these numbers beside the measured
mean ± std. Every row is named by a shipped config (tests/evaluation/test_paper_results.py).

Every entry: ``source`` (table and caveats, from ``/work/shared/specs``), ``protocol`` (``crop``,
``crf``, ``flip``: how the paper evaluated) and ``cluster`` / ``linear`` = ``(Acc, mIoU)`` in percent
(``None`` where the paper gives no number). ``protocol['crf']`` decides which of useg's metrics
the numbers are compared with: ``crf_cluster/*`` and ``crf_linear/*`` when True.
"""
from useg.utils import UsegError

_PRIMAPS_SOURCE = 'PriMaPs-EM README @ 7ca7757 results table (CRF use not stated in the code)'
_PRIMAPS_PROTOCOL = dict(crop='center crop 320 (322 for patch 14)', crf=True, flip=True)
_STEGO_SOURCE = 'STEGO paper tables as recalled in specs/stego.md (verify against the PDF)'
_STEGO_PROTOCOL = dict(crop='center crop 320', crf=True, flip=True)
_SMOOSEG_SOURCE = 'SmooSeg paper tables as recalled in specs/smooseg.md (verify against the PDF)'
_CAUSE_SOURCE = ('CAUSE README @ ee0aa84 results table (specs/cause.md section 12); DINO ViT-S rows '
                 'used a 12-head ViT-S, and released-script runs include the stage-3 label leak')
_CAUSE_PROTOCOL = dict(crop='center crop 320 (322 for patch 14)', crf=True, flip=True)


def _cause(table):
    """``{(structure, backbone, dataset): (mIoU, Acc)}`` (the README's order) -> entries."""
    return {f'cause-{structure}/{backbone}/{dataset}': dict(
        source=_CAUSE_SOURCE, protocol=_CAUSE_PROTOCOL, cluster=(acc, miou), linear=None)
        for (structure, backbone, dataset), (miou, acc) in table.items()}


def _primaps(table):
    """``{(method, backbone): {dataset: (Acc, mIoU)}}`` -> entries of the PriMaPs table."""
    entries = {}
    for (method, backbone), cells in table.items():
        for dataset, cluster in cells.items():
            entries[f'{method}/{backbone}/{dataset}'] = dict(
                source=_PRIMAPS_SOURCE, protocol=_PRIMAPS_PROTOCOL, cluster=cluster, linear=None)
    return entries


PAPER_RESULTS = {
    **_primaps({
        ('baseline', 'dino_vits8'): dict(cityscapes27=(61.4, 15.8), cocostuff27=(34.2, 9.5),
                                         potsdam3=(56.6, 33.6)),
        ('primaps-em', 'dino_vits8'): dict(cityscapes27=(81.2, 19.4), cocostuff27=(46.5, 16.4),
                                           potsdam3=(62.5, 38.9)),
        ('baseline', 'dino_vitb8'): dict(cityscapes27=(49.2, 15.5), cocostuff27=(38.8, 15.7),
                                         potsdam3=(66.1, 49.4)),
        ('primaps-em', 'dino_vitb8'): dict(cityscapes27=(59.6, 17.6), cocostuff27=(48.5, 21.9),
                                           potsdam3=(80.5, 67.0)),
        # "+SotA+PriMaPs" with STEGO heads: ViT-B/8 on Cityscapes and COCO only. The table's other
        # "+SotA" cells (ViT-S/8: 76.6/19.2, 57.8/25.1, 78.4/64.2; ViT-B/8 Potsdam: 83.3/71.0) start
        # from Hidden Positives heads (specs/primaps.md section 7), which useg does not implement.
        ('stego+primaps-em', 'dino_vitb8'): dict(cityscapes27=(78.6, 21.6),
                                                 cocostuff27=(57.9, 29.7)),
        ('baseline', 'dinov2_vits14'): dict(cityscapes27=(49.5, 15.3), cocostuff27=(44.5, 22.9),
                                            potsdam3=(75.9, 61.0)),
        ('primaps-em', 'dinov2_vits14'): dict(cityscapes27=(71.5, 19.0), cocostuff27=(46.5, 23.8),
                                              potsdam3=(78.5, 64.3)),
        ('baseline', 'dinov2_vitb14'): dict(cityscapes27=(36.1, 14.9), cocostuff27=(35.0, 17.9),
                                            potsdam3=(82.4, 69.9)),
        ('primaps-em', 'dinov2_vitb14'): dict(cityscapes27=(82.9, 21.3), cocostuff27=(52.8, 23.6),
                                              potsdam3=(83.2, 71.1)),
    }),
    'stego/dino_vits8/cocostuff27': dict(source=_STEGO_SOURCE + '; listed as ViT-S/16 there',
                                         protocol=_STEGO_PROTOCOL, cluster=(48.3, 24.5),
                                         linear=(74.4, 38.3)),
    'stego/dino_vitb8/cocostuff27': dict(source=_STEGO_SOURCE, protocol=_STEGO_PROTOCOL,
                                         cluster=(56.9, 28.2), linear=(76.1, 41.0)),
    'stego/dino_vitb8/cityscapes27': dict(source=_STEGO_SOURCE, protocol=_STEGO_PROTOCOL,
                                          cluster=(73.2, 21.0), linear=None),
    'stego/dino_vitb8/potsdam3': dict(source=_STEGO_SOURCE + '; Acc only, backbone unresolved',
                                      protocol=dict(_STEGO_PROTOCOL, crop='none'),
                                      cluster=(77.0, None), linear=None),
    'smooseg/dino_vits8/cocostuff27': dict(source=_SMOOSEG_SOURCE, protocol=_STEGO_PROTOCOL,
                                           cluster=(63.2, 26.7), linear=None),
    'smooseg/dino_vits8/cityscapes27': dict(source=_SMOOSEG_SOURCE, protocol=_STEGO_PROTOCOL,
                                            cluster=(82.8, 18.4), linear=None),
    **_cause({
        ('mlp', 'dino_vits8', 'cocostuff27'): (27.9, 66.8),
        ('tr', 'dino_vits8', 'cocostuff27'): (32.4, 69.6),
        ('mlp', 'dino_vitb8', 'cocostuff27'): (34.3, 72.8),
        ('tr', 'dino_vitb8', 'cocostuff27'): (41.9, 74.9),
        ('tr', 'dinov2_vitb14', 'cocostuff27'): (45.3, 78.0),
        ('mlp', 'dino_vits8', 'cityscapes27'): (21.7, 87.7),
        ('tr', 'dino_vits8', 'cityscapes27'): (24.6, 89.4),
        ('mlp', 'dino_vitb8', 'cityscapes27'): (25.7, 90.3),
        ('tr', 'dino_vitb8', 'cityscapes27'): (28.0, 90.8),
        ('tr', 'dinov2_vitb14', 'cityscapes27'): (29.9, 89.8),
        # VOC (mIoU / Acc): MLP S/8 46.0, TR S/8 50.0, MLP B/8 47.9, TR B/8 53.3, TR DINOv2 B/14
        # 53.2 / 91.5 -- no row: useg has no CAUSE VOC config (the reference's 50-crop VOC set).
    }),
    'maskcontrast/r50_unsup_saliency/voc': dict(
        source='MaskContrast README model zoo (linear probe = LC; cluster = K-means, 21 classes)',
        protocol=dict(crop='resize 512x512', crf=False, flip=False), cluster=(None, 35.0),
        linear=(None, 58.4)),
    'maskcontrast/r50_sup_saliency/voc': dict(
        source='MaskContrast README model zoo (linear probe = LC; cluster = K-means, 21 classes)',
        protocol=dict(crop='resize 512x512', crf=False, flip=False), cluster=(None, 44.2),
        linear=(None, 63.9)),
}


def resolve_paper_results(value):
    """A config's ``paper_results`` (a key of ``PAPER_RESULTS`` or a full entry) -> entry or None."""
    if value is None:
        return None
    if isinstance(value, str):
        if value not in PAPER_RESULTS:
            raise UsegError(f'paper_results {value!r} is not a key of '
                            f'useg.evaluation.paper_results.PAPER_RESULTS')
        return PAPER_RESULTS[value]
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
