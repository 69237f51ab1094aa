"""Every mmengine checkpoint scheme loads weights-only (no network).

Each scheme's file is put where mmengine's own loader reads it: the torch
hub cache for the URL schemes, ``$MMENGINE_HOME`` for ``open-mmlab://``'s
local names, a stand-in storage client for ``s3://`` and ``pavi://`` (their
clients are not installed). ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` is set
throughout: it turns every bare ``torch.load`` into a full unpickle.
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

import maxclip_mmaction  # noqa: F401  (makes the loaders weights-only)


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
        monkeypatch.setattr(mmengine_checkpoint, 'get_file_backend',
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


SCHEMES = ['torchvision://', 'modelzoo://', 'open-mmlab://', 'openmmlab://',
           'mmcls://', 'http://', 'https://', 'open-mmlab:// (local)',
           's3://', 'petrel://', 'pavi://', 'local']


@pytest.fixture(autouse=True)
def force_no_weights_only(monkeypatch):
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')


@pytest.mark.parametrize('scheme', SCHEMES)
def test_planted_file_is_refused_and_never_runs(scheme, tmp_path,
                                                monkeypatch):
    marker = tmp_path / 'PWNED'
    name = place(scheme, tmp_path, True, marker, monkeypatch)
    with pytest.raises(RuntimeError) as info:
        _load_checkpoint(name, map_location='cpu')
    assert str(info.value).startswith(f'Refused to load {name}')
    assert 'nothing in it ran' in str(info.value)
    assert not marker.exists()


@pytest.mark.parametrize('scheme', SCHEMES)
def test_a_real_checkpoint_loads_through_the_same_scheme(
        scheme, tmp_path, monkeypatch):
    name = place(scheme, tmp_path, False, tmp_path / 'unused', monkeypatch)
    state = _load_checkpoint(name, map_location='cpu')['state_dict']
    assert [v.tolist() for v in state.values()] == [[0., 1., 2.]]


def test_a_scheme_registered_later_is_weights_only_too(tmp_path,
                                                       monkeypatch):
    # register_scheme re-creates the table; restore it after the test.
    monkeypatch.setattr(CheckpointLoader, '_schemes',
                        dict(CheckpointLoader._schemes))

    def load_from_later(filename, map_location=None):
        return torch.load(filename[len('later://'):], map_location)

    CheckpointLoader.register_scheme('later://', load_from_later)
    marker, path = tmp_path / 'PWNED', str(tmp_path / 'evil.pth')
    write(path, True, marker)
    with pytest.raises(RuntimeError,
                       match=f'Refused to load later://{path} .file {path}'):
        _load_checkpoint(f'later://{path}', map_location='cpu')
    assert not marker.exists()


def test_torch_load_outside_a_checkpoint_loader_is_untouched(tmp_path):
    path = tmp_path / 'plain.pth'
    torch.save(dict(x=Payload(tmp_path / 'PWNED')), path)
    # The caller's own explicit choice is honoured (this one trusts it).
    torch.load(path, weights_only=False)
    assert (tmp_path / 'PWNED').exists()
