import os
import pickle
import zipfile

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from maxclip_mmaction.fileio import safe_load
from maxclip_mmaction.fileio import safe_jit_load


def mmengine_like_checkpoint():
    buf = HistoryBuffer()
    for v in (0.5, 0.25):
        buf.update(v)
    return dict(
        meta=dict(epoch=2, iter=10, seed=np.int64(7),
                  best=np.float64(0.5)),
        state_dict=dict(w=torch.ones(2)),
        message_hub=dict(log_scalars={'train/loss': buf},
                         runtime_info=dict(arr=np.arange(3))))


def test_mmengine_checkpoint_loads_weights_only(tmp_path):
    path = tmp_path / 'epoch_2.pth'
    torch.save(mmengine_like_checkpoint(), path)
    ckpt = safe_load(str(path))
    assert ckpt['message_hub']['log_scalars']['train/loss'].current() == .25


class Payload:

    def __reduce__(self):
        return (os.system, ('touch PWNED_BY_CHECKPOINT', ))


def test_pickled_callable_is_refused_and_never_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, x=Payload()), path)
    with pytest.raises(RuntimeError, match='evil.pth.*nothing in it ran'):
        safe_load(str(path))
    with pytest.raises(Exception):
        torch.load(path)  # the allow-list stays narrow
    assert not (tmp_path / 'PWNED_BY_CHECKPOINT').exists()


def test_getattr_is_limited_to_history_buffer_statistics(tmp_path):
    path = tmp_path / 'sneaky.pth'
    torch.save(dict(f=getattr(np.ndarray, 'tofile')), path)
    with pytest.raises(RuntimeError, match='sneaky.pth'):
        safe_load(str(path))


def archive_with(path, extra: dict):
    """A ``torch.save`` zip with ``extra`` entries: what ``is_jit_archive``
    takes for a TorchScript archive."""
    torch.save(dict(w=torch.ones(2)), path)
    with zipfile.ZipFile(path) as zf:
        prefix = zf.namelist()[0].split('/')[0]
    with zipfile.ZipFile(path, 'a') as zf:
        for name, data in extra.items():
            zf.writestr(f'{prefix}/{name}', data)
    return str(path)


def test_refused_torchscript_archive_names_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    evil = archive_with(tmp_path / 'evil.pt', {
        'code/__torch__.py': 'x = 1\n',
        'constants.pkl': pickle.dumps((Payload(), ), protocol=2)})
    with pytest.raises(RuntimeError, match=r'Refused to load .*evil\.pt as '
                       r'a TorchScript archive.*posix\.system'):
        safe_jit_load(evil)
    fake = archive_with(tmp_path / 'fake.pt', {'code/__torch__.py': 'x\n'})
    with pytest.raises(RuntimeError, match=r'Refused to load .*fake\.pt '
                       r'as a TorchScript archive.*constants\.pkl'):
        safe_jit_load(fake)
    assert not (tmp_path / 'PWNED_BY_CHECKPOINT').exists()


def test_a_real_torchscript_archive_loads(tmp_path):
    path = str(tmp_path / 'linear.pt')
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 3)), path)
    assert safe_jit_load(path).state_dict()['weight'].shape == (3, 2)


def test_allow_list_is_added_only_for_the_load(tmp_path, monkeypatch):
    path = tmp_path / 'epoch_2.pth'
    torch.save(mmengine_like_checkpoint(), path)
    saved = torch.serialization.get_safe_globals()
    torch.serialization.clear_safe_globals()
    try:
        mine = [np.dtype]  # a user's own entry, also on our list
        torch.serialization.add_safe_globals(mine)
        with pytest.raises(pickle.UnpicklingError):
            torch.load(path)  # without compat's process-wide list
        assert safe_load(str(path))['meta']['epoch'] == 2
        assert torch.serialization.get_safe_globals() == mine
    finally:
        torch.serialization.clear_safe_globals()
        torch.serialization.add_safe_globals(saved)


def test_the_users_opt_out_is_honoured_with_a_warning(tmp_path,
                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    path = tmp_path / 'trusted.pth'
    torch.save(dict(state_dict={}, x=Payload()), path)
    with pytest.warns(UserWarning, match=r'loading .*trusted\.pth with '
                      r'weights_only=False'):
        safe_load(str(path))
    assert (tmp_path / 'PWNED_BY_CHECKPOINT').exists()


def test_overlapping_loads_share_one_allow_list(tmp_path):
    from maxclip_mmaction.fileio.allow_list import allow_listed
    saved = torch.serialization.get_safe_globals()
    torch.serialization.clear_safe_globals()
    try:
        with allow_listed():
            inner = allow_listed()
            inner.__enter__()  # a second thread's load starts
        # the first block ended; the second load still needs the list
        assert HistoryBuffer in torch.serialization.get_safe_globals()
        inner.__exit__(None, None, None)
        assert torch.serialization.get_safe_globals() == []
    finally:
        torch.serialization.clear_safe_globals()
        torch.serialization.add_safe_globals(saved)
