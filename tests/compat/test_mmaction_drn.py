import importlib
import sys

import pytest

from maxclip_mmaction.compat import mmaction_drn


def test_mmaction_models_imports():
    models = importlib.import_module('mmaction.models')
    assert hasattr(models, 'Recognizer3D')


def test_stub_only_when_wheel_lacks_drn(monkeypatch):
    monkeypatch.setattr(mmaction_drn, 'needed', lambda: False)
    monkeypatch.delitem(sys.modules, mmaction_drn._PKG, raising=False)
    assert mmaction_drn.apply() is False
    assert mmaction_drn._PKG not in sys.modules


def test_stub_drn_raises_a_clear_error():
    with pytest.raises(ImportError, match='issue 2714'):
        mmaction_drn.DRN()
