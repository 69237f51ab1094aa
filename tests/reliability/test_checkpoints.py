"""Atomic checkpoint writes, resume after kill -9, refusal of bad files."""
import os
import os.path as osp
import shutil
import signal
import stat
import tempfile
import time
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmengine.runner.checkpoint import save_checkpoint
from reliability_utils import (DATASET_MODULE, output_of, start_tool,
                               write_config, write_list)

from maxclip_mmaction.engine import find_resumable_checkpoint
from maxclip_mmaction.engine.atomic_checkpoint import (ATOMIC_BACKEND,
                                                       atomic_write)
from maxclip_mmaction.fileio import safe_load, weights_only_checkpoints

ATOMIC = dict(backend=ATOMIC_BACKEND)

exec(DATASET_MODULE)  # registers RobustOVDataset in this process

# Test-only hooks for the subprocess runs: slow iterations give time to
# kill mid-epoch; a slow fsync holds a checkpoint save open.
SLOW_MODULE = '''
import os
import time

from mmaction.registry import HOOKS
from mmengine.hooks import Hook


@HOOKS.register_module(force=True)
class SlowIterHook(Hook):
    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        time.sleep(float(os.environ.get('SLOW_ITER', 0)))


if os.environ.get('SLOW_FSYNC'):
    _fsync = os.fsync

    def _slow_fsync(fd):
        time.sleep(float(os.environ['SLOW_FSYNC']))
        _fsync(fd)

    os.fsync = _slow_fsync
'''


class Payload:

    def __reduce__(self):
        return (os.system, ('touch PWNED_BY_CHECKPOINT', ))


def test_save_checkpoint_writes_a_temp_file_and_renames(tmp_path,
                                                        monkeypatch):
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint(dict(meta=dict(epoch=1), w=torch.ones(2)), path,
                    backend_args=ATOMIC)
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, 'replace',
                        lambda a, b: renames.append((a, b)) or
                        real_replace(a, b))

    def crash(fd):
        raise KeyboardInterrupt  # killed mid-save

    monkeypatch.setattr(os, 'fsync', crash)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(dict(meta=dict(epoch=2), w=torch.zeros(2)), path,
                        backend_args=ATOMIC)
    assert renames == []
    assert safe_load(path)['meta']['epoch'] == 1  # old file intact
    assert os.listdir(tmp_path) == ['epoch_1.pth']  # no temp left
    monkeypatch.undo()
    save_checkpoint(dict(meta=dict(epoch=2), w=torch.zeros(2)), path,
                    backend_args=ATOMIC)
    assert safe_load(path)['meta']['epoch'] == 2


def test_atomic_write_keeps_what_a_plain_write_keeps(tmp_path):
    mask = os.umask(0o077)  # set after import: read at write time
    try:
        atomic_write(b'new', str(tmp_path / 'fresh'))
    finally:
        os.umask(mask)
    assert os.stat(tmp_path / 'fresh').st_mode & 0o777 == 0o600
    private = tmp_path / 'private'
    private.write_bytes(b'old')
    private.chmod(0o600)
    atomic_write(b'new', str(private))
    assert os.stat(private).st_mode & 0o777 == 0o600
    target, link = tmp_path / 'target', tmp_path / 'link'
    target.write_bytes(b'old')
    link.symlink_to(target)
    atomic_write(b'new', str(link))
    assert link.is_symlink() and target.read_bytes() == b'new'
    long_name = tmp_path / ('x' * 250)
    atomic_write(b'new', str(long_name))
    assert long_name.read_bytes() == b'new'


def as_user(fn):
    """The error ``fn()`` raised (None if none), run by an unprivileged
    user: root ignores folder modes."""
    if os.geteuid() != 0:
        try:
            fn()
        except OSError as err:
            return type(err).__name__
        return None
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.setgid(65534)
            os.setuid(65534)
            fn()
        except PermissionError:
            code = 13
        except BaseException:
            code = 1
        os._exit(code)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    return {0: None, 13: 'PermissionError'}.get(code, f'exit {code}')


def test_atomic_write_in_a_read_only_folder_acts_as_open():
    # Outside pytest's tmp folder, which other users cannot enter.
    top = Path(tempfile.mkdtemp())
    folder = top / 'ro'
    folder.mkdir()
    (folder / 'kept').write_bytes(b'old')
    for path in (top, folder, folder / 'kept'):
        os.chmod(path, 0o555 if path == folder else 0o777)
        if os.geteuid() == 0:
            os.chown(path, 65534, 65534)
    try:
        # open() can rewrite the file but not create one beside it.
        assert as_user(lambda: atomic_write(b'new', str(
            folder / 'kept'))) is None
        assert as_user(lambda: atomic_write(b'new', str(
            folder / 'absent'))) == 'PermissionError'
        assert (folder / 'kept').read_bytes() == b'new'
        assert os.listdir(folder) == ['kept']
    finally:
        folder.chmod(0o755)
        shutil.rmtree(top)


def test_atomic_write_flushes_the_folder_after_the_rename(
        tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        events.append('fsync folder' if is_dir else 'fsync file')
        real_fsync(fd)

    monkeypatch.setattr(os, 'fsync', fsync)
    monkeypatch.setattr(os, 'replace', lambda a, b: events.append(
        'rename') or real_replace(a, b))
    atomic_write('epoch_1.pth', str(tmp_path / 'last_checkpoint'))
    assert events == ['fsync file', 'rename', 'fsync folder']
    assert (tmp_path / 'last_checkpoint').read_text() == 'epoch_1.pth'


def test_resume_falls_back_to_the_newest_complete_checkpoint(tmp_path):
    work = str(tmp_path)
    save_checkpoint(dict(meta=dict(epoch=1)), osp.join(work, 'epoch_1.pth'),
                    backend_args=ATOMIC)
    data = open(osp.join(work, 'epoch_1.pth'), 'rb').read()
    with open(osp.join(work, 'epoch_2.pth'), 'wb') as f:
        f.write(data[:len(data) // 2])  # written by a non-atomic saver
    (tmp_path / '.tmp-epoch_3.pth.abc').write_bytes(b'partial')
    (tmp_path / 'last_checkpoint').write_text(osp.join(work, 'epoch_2.pth'))
    assert find_resumable_checkpoint(work) == osp.join(work, 'epoch_1.pth')
    assert not (tmp_path / '.tmp-epoch_3.pth.abc').exists()
    (tmp_path / 'last_checkpoint').write_text('')  # killed mid-write
    assert find_resumable_checkpoint(work) == osp.join(work, 'epoch_1.pth')
    assert find_resumable_checkpoint(str(tmp_path / 'fresh')) is None


def train_config(tmp_path, video_root, max_epochs=3):
    root, good = video_root
    ann = write_list(tmp_path / 'train.txt', good)
    (tmp_path / 'slow_hooks.py').write_text(SLOW_MODULE)
    extra = "custom_hooks = custom_hooks + [dict(type='SlowIterHook')]\n"
    return write_config(tmp_path, ann, root, max_epochs=max_epochs,
                        extra=extra, imports=('robust_ds', 'slow_hooks'))


def wait_for(predicate, proc, timeout=120):
    start = time.time()
    while not predicate():
        assert proc.poll() is None, output_of(proc)
        assert time.time() - start < timeout, output_of(proc)
        time.sleep(0.05)


def resume_and_finish(tmp_path, cfg, work):
    proc = start_tool(tmp_path, 'train', cfg, '--work-dir', work,
                      '--resume')
    assert proc.wait(timeout=300) == 0, output_of(proc)
    final = safe_load(osp.join(work, 'epoch_3.pth'))
    assert final['meta']['epoch'] == 3
    assert 'state_dict' in final and 'optimizer' in final
    return output_of(proc)


def test_kill_mid_epoch_then_resume_finishes(tmp_path, video_root):
    cfg, work = train_config(tmp_path, video_root), str(tmp_path / 'work')
    proc = start_tool(tmp_path, 'train', cfg, '--work-dir', work,
                      env_extra=dict(SLOW_ITER='0.3'))
    wait_for(lambda: osp.exists(osp.join(work, 'epoch_1.pth')), proc)
    time.sleep(0.4)  # into epoch 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not osp.exists(osp.join(work, 'epoch_3.pth'))
    log = resume_and_finish(tmp_path, cfg, work)
    assert 'resumed epoch: ' in log


def test_kill_during_checkpoint_save_then_resume_finishes(tmp_path,
                                                          video_root):
    cfg, work = train_config(tmp_path, video_root), str(tmp_path / 'work')
    proc = start_tool(tmp_path, 'train', cfg, '--work-dir', work,
                      env_extra=dict(SLOW_FSYNC='1.5'))

    def saving_epoch_2():
        return osp.isdir(work) and any(
            n.startswith('.tmp-epoch_2.pth') for n in os.listdir(work))

    wait_for(saving_epoch_2, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # max_keep_ckpts=1: epoch_1 must survive until epoch_2 is in place
    assert osp.exists(osp.join(work, 'epoch_1.pth'))
    assert not osp.exists(osp.join(work, 'epoch_2.pth'))
    log = resume_and_finish(tmp_path, cfg, work)
    assert 'resumed epoch: 1' in log
    assert not [n for n in os.listdir(work) if n.startswith('.tmp-')]


def evil_checkpoint(path):
    torch.save(dict(meta=dict(epoch=1), state_dict={}, x=Payload()), path)
    return str(path)


def test_load_from_refuses_a_pickled_callable(tmp_path, video_root,
                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    root, good = video_root
    ann = write_list(tmp_path / 'train.txt', good)
    cfg = Config.fromfile(write_config(tmp_path, ann, root, imports=()))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.load_from = evil_checkpoint(tmp_path / 'evil.pth')
    runner = Runner.from_cfg(cfg)
    # What tools/train.py and tools/test.py run in.
    refused = 'Refused to load .*evil.pth.*nothing in it ran'
    with weights_only_checkpoints(), pytest.raises(RuntimeError,
                                                   match=refused):
        runner.load_or_resume()
    assert not (tmp_path / 'PWNED_BY_CHECKPOINT').exists()


def test_resume_refuses_a_pickled_callable(tmp_path, video_root):
    cfg, work = train_config(tmp_path, video_root), tmp_path / 'work'
    work.mkdir()
    evil = evil_checkpoint(work / 'epoch_1.pth')
    (work / 'last_checkpoint').write_text(evil)
    proc = start_tool(tmp_path, 'train', cfg, '--work-dir', str(work),
                      '--resume')
    assert proc.wait(timeout=300) != 0
    out = output_of(proc)
    # Our refusal once the tool runs in weights_only_checkpoints(); torch's
    # own (its default is weights-only) where it does not.
    assert 'Refused to load' in out
    assert 'epoch_1.pth' in out
    assert not (tmp_path / 'PWNED_BY_CHECKPOINT').exists()


def test_pretrained_clip_file_with_a_pickled_callable_is_refused(
        tmp_path, monkeypatch, clip_cfg):
    from mmaction.registry import MODELS
    monkeypatch.chdir(tmp_path)
    path = tmp_path / 'clip.pth'
    torch.save(dict(state_dict={}, x=Payload()), path)
    backbone = MODELS.build(dict(type='MaxCLIPViT', clip_arch=clip_cfg,
                                 pretrained=str(path), num_frames=4))
    with pytest.raises(RuntimeError, match='Refused to load .*clip.pth'):
        backbone.init_weights()
    assert not (tmp_path / 'PWNED_BY_CHECKPOINT').exists()
