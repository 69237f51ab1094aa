import os

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from maxclip_mmaction.compat import safe_load


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
    # torch's default (weights_only=True) now accepts it ...
    ckpt = torch.load(path)
    assert ckpt['message_hub']['log_scalars']['train/loss'].current() == .25
    # ... and so does mmengine's own loader used by resume.
    from mmengine.runner.checkpoint import _load_checkpoint
    assert _load_checkpoint(str(path))['meta']['epoch'] == 2


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
