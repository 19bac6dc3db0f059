import pytest
from mmseg.registry import MODELS as MMSEG_MODELS

from useg.registry import MODELS, PSEUDO_LABELERS, TRANSFORMS


def test_registries_are_children_of_mmseg_in_scope_useg():
    assert MODELS.scope == 'useg' and MODELS.parent is MMSEG_MODELS
    assert PSEUDO_LABELERS.scope == 'useg'
    # mmseg components stay buildable from useg configs, useg's own lazily imported by location.
    assert MODELS.get('EncoderDecoder') is MMSEG_MODELS.get('EncoderDecoder')
    assert TRANSFORMS.get('PackSegInputs') is not None
    assert MODELS.get('ClusterProbe') is not None
    probe = MODELS.build(dict(type='ClusterProbe', in_channels=4, num_clusters=3))
    assert probe.clusters.shape == (3, 4)


def test_unknown_type_names_registry_and_closest_names():
    with pytest.raises(KeyError) as error:
        MODELS.build(dict(type='ClusterProbes', in_channels=4, num_clusters=3))
    message = str(error.value)
    assert "'ClusterProbes'" in message and 'useg::model' in message
    assert 'ClusterProbe' in message.split('Closest registered names:')[1]


def test_explain_turns_runner_key_errors_into_one_line():
    from useg.apis import explain
    message = explain(KeyError('ProjectionHaed is not in the useg::model registry. Please check'))
    assert message.startswith("'ProjectionHaed' is not registered in the useg::model registry")
    assert 'ProjectionHead' in message
    assert explain(ValueError('a bug')) is None
