import mmengine
from mmengine.runner import CheckpointLoader
from mmengine.runner import checkpoint as mmengine_checkpoint

from maxclip_mmaction.compat import mmengine_hub_weights_only as hub
from maxclip_mmaction.fileio import checkpoint_loaders


def test_only_the_url_schemes_are_replaced():
    schemes = CheckpointLoader._schemes
    for prefix, name in checkpoint_loaders.HUB_SCHEMES.items():
        assert schemes[prefix] is getattr(checkpoint_loaders, name)
    # local, s3, petrel and pavi keep mmengine's loaders
    for prefix in ('', r'(\S+\:)?s3://', r'(\S+\:)?petrel://', 'pavi://'):
        assert schemes[prefix].__module__ == mmengine_checkpoint.__name__


def test_applied_only_on_the_mmengine_line_it_was_written_for(monkeypatch):
    monkeypatch.setattr(CheckpointLoader, '_schemes',
                        dict(CheckpointLoader._schemes))
    CheckpointLoader.register_scheme(
        'http://', mmengine_checkpoint.load_from_http, force=True)
    monkeypatch.setattr(mmengine, '__version__', '0.11.0')
    assert hub.apply() is False
    assert CheckpointLoader._schemes['http://'] is (
        mmengine_checkpoint.load_from_http)
    monkeypatch.setattr(mmengine, '__version__', '0.10.7')
    assert hub.apply() is True
    assert CheckpointLoader._schemes['http://'] is (
        checkpoint_loaders.load_from_http)
