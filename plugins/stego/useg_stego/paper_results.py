"""STEGO: the numbers the paper reports, keyed ``'<method>/<backbone>/<dataset>'``.

Each entry: ``source``, ``protocol`` (``crop``, ``crf``, ``flip``) and ``cluster`` / ``linear`` =
``(Acc, mIoU)`` in percent (``None`` where the paper gives none); the core gathers every plugin's
``PAPER_RESULTS`` (``useg.evaluation.paper_results``) and a config names its row with
``paper_results = '<key>'``.
"""
_SOURCE = 'STEGO paper tables as recalled in specs/stego.md (verify against the PDF)'
_PROTOCOL = dict(crop='center crop 320', crf=True, flip=True)

PAPER_RESULTS = {
    'stego/dino_vits8/cocostuff27': dict(source=_SOURCE + '; listed as ViT-S/16 there',
                                         protocol=_PROTOCOL, cluster=(48.3, 24.5),
                                         linear=(74.4, 38.3)),
    'stego/dino_vitb8/cocostuff27': dict(source=_SOURCE, protocol=_PROTOCOL,
                                         cluster=(56.9, 28.2), linear=(76.1, 41.0)),
    'stego/dino_vitb8/cityscapes27': dict(source=_SOURCE, protocol=_PROTOCOL,
                                          cluster=(73.2, 21.0), linear=None),
    'stego/dino_vitb8/potsdam3': dict(source=_SOURCE + '; Acc only, backbone unresolved',
                                      protocol=dict(_PROTOCOL, crop='none'),
                                      cluster=(77.0, None), linear=None),
}
