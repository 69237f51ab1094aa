import importlib.metadata
import sys

from maxclip_mmaction.compat import importlib_metadata_shim as shim


def test_alias_installed_only_when_backport_missing(monkeypatch):
    monkeypatch.setattr(shim, 'needed', lambda: True)
    monkeypatch.delitem(sys.modules, 'importlib_metadata', raising=False)
    assert shim.apply() is True
    assert sys.modules['importlib_metadata'] is importlib.metadata
    monkeypatch.setattr(shim, 'needed', lambda: False)
    assert shim.apply() is False


def test_mmaction_dependency_module_imports():
    from mmaction.utils.dependency import digit_version  # noqa: F401
