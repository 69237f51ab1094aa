import mmengine
import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from maxclip_mmaction.compat import mmengine_resume
from maxclip_mmaction.fileio.allow_list import allowed_globals


def mmengine_like_checkpoint():
    buf = HistoryBuffer()
    for v in (0.5, 0.25):
        buf.update(v)
    return dict(
        meta=dict(epoch=2, iter=10, seed=np.int64(7), best=np.float64(0.5)),
        state_dict=dict(w=torch.ones(2)),
        message_hub=dict(
            log_scalars={'train/loss': buf},
            runtime_info=dict(arr=np.arange(3))))


def test_mmengine_loads_its_own_checkpoint_as_resume_does(tmp_path):
    path = tmp_path / 'epoch_2.pth'
    torch.save(mmengine_like_checkpoint(), path)
    # Runner.resume reads through mmengine's bare torch.load.
    ckpt = _load_checkpoint(str(path), map_location='cpu')
    assert ckpt['message_hub']['log_scalars']['train/loss'].current() == .25
    assert ckpt['meta']['epoch'] == 2


def test_applied_only_on_the_mmengine_line_it_was_written_for(monkeypatch):
    assert mmengine_resume.needed()  # mmengine 0.10.x, torch >= 2.6 here
    added = []
    monkeypatch.setattr(torch.serialization, 'add_safe_globals', added.extend)
    for version in ('0.11.0', '0.9.1'):
        monkeypatch.setattr(mmengine, '__version__', version)
        assert not mmengine_resume.needed()
        assert mmengine_resume.apply() is False
    assert added == []
    monkeypatch.setattr(mmengine, '__version__', '0.10.7')
    assert mmengine_resume.apply() is True
    assert added == allowed_globals()
