"""Crash-safe checkpoint files and a resume that survives ``kill -9``.

mmengine's ``save_checkpoint`` hands the serialised bytes to the local file
backend, whose ``put`` opens the final path and writes into it: a process
killed during the write leaves a truncated ``epoch_N.pth`` that
``last_checkpoint`` may already name, and resume then dies on it.
``AtomicLocalBackend`` writes to a temporary file in the same folder,
flushes it to disk and ``os.replace``s it into place (atomic on POSIX
filesystems), so a checkpoint path holds either nothing or a whole file.
It replaces mmengine's ``'local'`` backend when this module is imported.

``find_resumable_checkpoint`` is what ``tools/train.py --resume`` uses
instead of trusting ``last_checkpoint`` blindly: mmengine's own
``CheckpointHook`` writes that file with a plain ``open(..., 'w')`` after
the save (``SafeCheckpointHook`` writes it atomically), so it can be empty
or name a file that is gone; then the newest complete checkpoint is used.
"""
import os
import os.path as osp
import re
import tempfile
import zipfile
from typing import Optional, Union

from mmengine.fileio import LocalBackend, register_backend
from mmengine.logging import print_log

_TMP_PREFIX = '.tmp-'
_CKPT_RE = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def _read_umask() -> int:
    # Read once at import: os.umask can only be read by setting it, which
    # would race with files other threads create meanwhile.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def atomic_write(data: Union[bytes, str], path: str,
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` to ``path`` so readers never see a partial file."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    # Same folder: os.replace is only atomic within one filesystem.
    fd, tmp = tempfile.mkstemp(
        prefix=f'{_TMP_PREFIX}{osp.basename(path)}.', dir=folder)
    try:
        # mkstemp makes the file 0600; give it the mode open() would.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: str) -> None:
    """Flush the folder entry so the rename survives a power loss too.

    Best effort: some filesystems (and every Windows one) cannot open or
    fsync a directory; the rename is still atomic for running processes.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend with temp-file-and-rename writes."""

    def put(self, obj: bytes, filepath) -> None:
        atomic_write(obj, str(filepath))

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        atomic_write(obj, str(filepath), encoding=encoding)


def apply() -> None:
    """Make ``AtomicLocalBackend`` mmengine's backend for local paths."""
    register_backend('local', AtomicLocalBackend, force=True, prefixes='')


def is_complete_checkpoint(path: str) -> bool:
    """True if ``path`` is a whole ``torch.save`` file.

    ``torch.save`` writes a zip archive whose central directory comes last,
    so a truncated file fails to open; no tensor is read.
    """
    if not path or not osp.isfile(path) or osp.getsize(path) == 0:
        return False
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.endswith('data.pkl') for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def remove_stale_temp_files(work_dir: str) -> list:
    """Delete temp files left by saves that were killed; return them."""
    if not osp.isdir(work_dir):
        return []
    stale = [osp.join(work_dir, n) for n in os.listdir(work_dir)
             if n.startswith(_TMP_PREFIX)]
    for path in stale:
        try:
            os.remove(path)
        except FileNotFoundError:  # another rank removed it first
            pass
    return stale


def find_resumable_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume from: ``last_checkpoint`` if complete,
    else the newest complete ``epoch_*.pth`` / ``iter_*.pth``.

    Returns None when there is nothing to resume (a fresh start).
    """
    for path in remove_stale_temp_files(work_dir):
        print_log(f'Removed {path}, left by a checkpoint save that did '
                  f'not finish', logger='current', level=30)
    pointer = osp.join(work_dir, 'last_checkpoint')
    last = None
    if osp.isfile(pointer):
        with open(pointer, encoding='utf-8') as f:
            last = f.read().strip()
        if is_complete_checkpoint(last):
            return last
    found = []
    if osp.isdir(work_dir):
        for name in os.listdir(work_dir):
            match = _CKPT_RE.match(name)
            path = osp.join(work_dir, name)
            if match and is_complete_checkpoint(path):
                found.append((osp.getmtime(path), int(match.group(2)),
                              path))
    best = max(found)[-1] if found else None
    if last is not None:
        print_log(f'{pointer} names {last!r}, which is missing or '
                  f'incomplete; resuming from {best or "scratch"} instead',
                  logger='current', level=30)
    return best


apply()
