"""CAUSE: the numbers the paper reports, keyed ``'<method>/<backbone>/<dataset>'``.

Each entry: ``source``, ``protocol`` (``crop``, ``crf``, ``flip``) and ``cluster`` / ``linear`` =
``(Acc, mIoU)`` in percent (``None`` where the paper gives none); the core gathers every plugin's
``PAPER_RESULTS`` (``useg.evaluation.paper_results``) and a config names its row with
``paper_results = '<key>'``.
"""
_SOURCE = ('CAUSE README @ ee0aa84 results table (specs/cause.md section 12); DINO ViT-S rows '
           'used a 12-head ViT-S, and released-script runs include the stage-3 label leak')
_PROTOCOL = dict(crop='center crop 320 (322 for patch 14)', crf=True, flip=True)


def _table(table):
    """``{(structure, backbone, dataset): (mIoU, Acc)}`` (the README's order) -> entries."""
    return {f'cause-{structure}/{backbone}/{dataset}': dict(
        source=_SOURCE, protocol=_PROTOCOL, cluster=(acc, miou), linear=None)
        for (structure, backbone, dataset), (miou, acc) in table.items()}


PAPER_RESULTS = _table({
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
})
