import pytest

from useg.evaluation.paper_results import PAPER_RESULTS, paper_metrics, resolve_paper_results
from useg.utils import UsegError


def test_every_entry_names_its_source_protocol_and_valid_numbers():
    for key, entry in PAPER_RESULTS.items():
        assert len(key.split('/')) == 3, key
        assert entry['source'] and set(entry['protocol']) == {'crop', 'crf', 'flip'}, key
        numbers = [value for probe in ('cluster', 'linear') for value in entry.get(probe) or ()
                   if value is not None]
        assert numbers and all(0 < value <= 100 for value in numbers), key


def test_numbers_map_to_the_metrics_of_the_protocol():
    entry = resolve_paper_results('primaps-em/dinov2_vitb14/cityscapes27')
    assert paper_metrics(entry) == {'crf_cluster/Acc': 82.9, 'crf_cluster/mIoU': 21.3}
    plain = resolve_paper_results(dict(source='s', protocol=dict(crop='none', crf=False, flip=False),
                                       cluster=(None, 35.0), linear=(60.0, 58.4)))
    assert paper_metrics(plain) == {'cluster/mIoU': 35.0, 'linear/Acc': 60.0, 'linear/mIoU': 58.4}
    assert resolve_paper_results(None) is None


def test_unknown_key_or_incomplete_entry_is_a_one_line_error():
    with pytest.raises(UsegError, match="'stego/vit_h/coco' is not a key"):
        resolve_paper_results('stego/vit_h/coco')
    with pytest.raises(UsegError, match=r"needs \['protocol'\]"):
        resolve_paper_results(dict(source='s', cluster=(1, 2)))
