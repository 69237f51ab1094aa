"""Checkpoint schemes: weights-only where the plugin hardens them (no network).

Each scheme's file is put where mmengine's own loader reads it: the torch
hub cache for the URL schemes, ``$MMENGINE_HOME`` for ``open-mmlab://``'s
local names, a stand-in storage client for ``s3://`` and ``pavi://`` (their
clients are not installed). Importing the plugin hardens the URL (hub
cache) schemes; ``weights_only_checkpoints()``, which our tools run in,
adds the local path and ``s3://`` / ``petrel://``. Other schemes, and all of
them under ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``, keep mmengine's loader.
"""
import json
import os
import os.path as osp
import shutil
import sys
import types

import pytest
import torch
from mmengine.runner import CheckpointLoader
from mmengine.runner import checkpoint as mmengine_checkpoint
from mmengine.runner.checkpoint import _load_checkpoint

import maxclip_mmaction  # noqa: F401  (hardens the URL schemes)
from maxclip_mmaction.fileio import checkpoint_loaders
from maxclip_mmaction.fileio import weights_only_checkpoints


class Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def write(path, evil, marker):
    """A checkpoint at ``path``; ``evil`` adds a pickled callable."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    ckpt = dict(state_dict={'backbone.w': torch.arange(3.)})
    if evil:
        ckpt['x'] = Payload(marker)
    torch.save(ckpt, path)


def in_hub_cache(url, env):
    return osp.join(env['TORCH_HOME'], 'hub', 'checkpoints',
                    osp.basename(url))


def place(scheme, tmp_path, evil, marker, monkeypatch):
    """Put a checkpoint where ``scheme``'s loader looks; return its name."""
    env = dict(TORCH_HOME=str(tmp_path / 'torch'),
               MMENGINE_HOME=str(tmp_path / 'mmengine'))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if scheme in ('torchvision://', 'modelzoo://'):
        urls = mmengine_checkpoint.get_torchvision_models()
        write(in_hub_cache(urls['resnet18'], env), evil, marker)
        return scheme + 'resnet18'
    if scheme in ('open-mmlab://', 'openmmlab://', 'mmcls://'):
        urls = (mmengine_checkpoint.get_mmcls_models() if scheme
                == 'mmcls://' else mmengine_checkpoint.get_external_models())
        write(in_hub_cache(urls['vgg11' if scheme == 'mmcls://' else
                                'vgg16_caffe'], env), evil, marker)
        return scheme + ('vgg11' if scheme == 'mmcls://' else 'vgg16_caffe')
    if scheme in ('http://', 'https://'):
        url = f'{scheme}download.invalid/models/tiny-0123abcd.pth'
        write(in_hub_cache(url, env), evil, marker)
        return url
    if scheme == 'open-mmlab:// (local)':
        # Names mapped to a relative path load from $MMENGINE_HOME.
        os.makedirs(env['MMENGINE_HOME'])
        with open(osp.join(env['MMENGINE_HOME'], 'open_mmlab.json'),
                  'w') as f:
            json.dump(dict(tiny_local='models/tiny.pth'), f)
        write(osp.join(env['MMENGINE_HOME'], 'models/tiny.pth'), evil,
              marker)
        return 'open-mmlab://tiny_local'
    store = tmp_path / 'store'
    write(str(store / 'tiny.pth'), evil, marker)
    if scheme in ('s3://', 'petrel://'):
        backend = types.SimpleNamespace(
            get=lambda name: (store / osp.basename(name)).read_bytes())
        for module in (mmengine_checkpoint, checkpoint_loaders):
            monkeypatch.setattr(module, 'get_file_backend',
                                lambda *args, **kwargs: backend)
        return f'{scheme}bucket/tiny.pth'
    if scheme == 'pavi://':
        model = types.SimpleNamespace(
            name='tiny.pth',
            download=lambda dst: shutil.copy(store / 'tiny.pth', dst))
        pavi = types.ModuleType('pavi')
        pavi.modelcloud = types.SimpleNamespace(get=lambda path: model)
        monkeypatch.setitem(sys.modules, 'pavi', pavi)
        return 'pavi://project/tiny'
    assert scheme == 'local'
    return str(store / 'tiny.pth')


HUB = ['torchvision://', 'modelzoo://', 'open-mmlab://', 'openmmlab://',
       'mmcls://', 'http://', 'https://', 'open-mmlab:// (local)']
TOOL = ['s3://', 'petrel://', 'local']


@pytest.mark.parametrize('scheme', HUB + TOOL)
def test_planted_file_is_refused_and_never_runs(scheme, tmp_path,
                                                monkeypatch):
    marker = tmp_path / 'PWNED'
    name = place(scheme, tmp_path, True, marker, monkeypatch)
    with weights_only_checkpoints(), pytest.raises(RuntimeError) as info:
        _load_checkpoint(name, map_location='cpu')
    assert str(info.value).startswith(f'Refused to load {name}')
    assert 'nothing in it ran' in str(info.value)
    assert not marker.exists()


@pytest.mark.parametrize('scheme', HUB)
def test_hub_schemes_are_weights_only_on_import(scheme, tmp_path,
                                               monkeypatch):
    marker = tmp_path / 'PWNED'
    name = place(scheme, tmp_path, True, marker, monkeypatch)
    with pytest.raises(RuntimeError, match='Refused to load'):
        _load_checkpoint(name, map_location='cpu')
    assert not marker.exists()


@pytest.mark.parametrize('scheme', HUB + TOOL)
def test_a_real_checkpoint_loads_through_the_same_scheme(
        scheme, tmp_path, monkeypatch):
    name = place(scheme, tmp_path, False, tmp_path / 'unused', monkeypatch)
    with weights_only_checkpoints():
        state = _load_checkpoint(name, map_location='cpu')['state_dict']
    assert [v.tolist() for v in state.values()] == [[0., 1., 2.]]


@pytest.mark.parametrize('scheme', ['http://', 'torchvision://', 'local'])
def test_the_users_opt_out_is_honoured_with_a_warning(scheme, tmp_path,
                                                      monkeypatch):
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    marker = tmp_path / 'PWNED'
    name = place(scheme, tmp_path, True, marker, monkeypatch)
    with weights_only_checkpoints(), pytest.warns(
            UserWarning, match=f'loading {name} with weights_only=False'):
        assert _load_checkpoint(name, map_location='cpu')['state_dict']
    assert marker.exists()  # the user asked for a full unpickle


def test_tool_schemes_go_back_after_the_block():
    before = dict(CheckpointLoader._schemes)
    with weights_only_checkpoints():
        assert CheckpointLoader._schemes[''] is (
            checkpoint_loaders.load_from_local)
    assert CheckpointLoader._schemes == before
    assert before[''] is mmengine_checkpoint.load_from_local


def test_a_scheme_someone_registered_is_left_alone(tmp_path, monkeypatch):
    # register_scheme re-creates the table; restore it after the test.
    monkeypatch.setattr(CheckpointLoader, '_schemes',
                        dict(CheckpointLoader._schemes))

    def load_from_later(filename, map_location=None):
        return torch.load(filename.split('://')[1], map_location,
                          weights_only=False)

    CheckpointLoader.register_scheme(['later://', 'https://'],
                                     load_from_later, force=True)
    marker, path = tmp_path / 'PWNED', str(tmp_path / 'evil.pth')
    write(path, True, marker)
    with pytest.warns(UserWarning, match="'https://' is bound to"):
        with weights_only_checkpoints():
            assert CheckpointLoader._schemes['https://'] is load_from_later
            _load_checkpoint(f'later://{path}', map_location='cpu')
    assert marker.exists()  # their loader, their choice


def test_torch_load_outside_a_checkpoint_loader_is_untouched(tmp_path):
    path = tmp_path / 'plain.pth'
    torch.save(dict(x=Payload(tmp_path / 'PWNED')), path)
    # The caller's own explicit choice is honoured (this one trusts it).
    torch.load(path, weights_only=False)
    assert (tmp_path / 'PWNED').exists()
