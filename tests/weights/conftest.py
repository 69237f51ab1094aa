"""Fixtures: a fake yacs for pickling ViFi-CLIP configs, a fine-tuned
tiny CLIP and its ViFi-CLIP checkpoint (see checkpoint_helpers.py)."""
import sys
import types

import pytest
import torch
from checkpoint_helpers import (FakeCfgNode, epoch_saving, fine_tuned,
                                vificlip_config, vificlip_state)


@pytest.fixture
def fake_yacs(monkeypatch):
    """``yacs.config.CfgNode`` importable while a test pickles one."""
    pkg = types.ModuleType('yacs')
    mod = types.ModuleType('yacs.config')
    FakeCfgNode.__module__ = 'yacs.config'
    FakeCfgNode.__qualname__ = 'CfgNode'
    mod.CfgNode = FakeCfgNode
    pkg.config = mod
    monkeypatch.setitem(sys.modules, 'yacs', pkg)
    monkeypatch.setitem(sys.modules, 'yacs.config', mod)
    return FakeCfgNode


@pytest.fixture
def tuned(clip_model):
    return fine_tuned(clip_model)


@pytest.fixture
def vificlip_file(tuned, fake_yacs, tmp_path, monkeypatch):
    """A ViFi-CLIP checkpoint of ``tuned``, saved as ViFi-CLIP saves it;
    yacs is gone again when the test reads it."""
    path = tmp_path / 'vificlip_k400.pth'
    torch.save(epoch_saving(vificlip_state(tuned), vificlip_config()),
               path)
    monkeypatch.delitem(sys.modules, 'yacs.config')
    monkeypatch.delitem(sys.modules, 'yacs')
    return str(path)
