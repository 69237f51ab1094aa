"""Crash-safe checkpoint files and a resume that survives ``kill -9``.

mmengine's ``save_checkpoint`` hands the serialised bytes to a file
backend, whose local ``put`` opens the final path and writes into it: a
process killed during the write leaves a truncated ``epoch_N.pth`` that
``last_checkpoint`` may already name, and resume then dies on it.
``atomic_write`` writes to a temporary file in the same folder, flushes it
to disk and ``os.replace``s it into place (atomic on POSIX filesystems), so
a checkpoint path holds either nothing or a whole file. Only
``SafeCheckpointHook`` writes through it (as the ``'maxclip_atomic_local'``
backend, a new name: mmengine's ``'local'`` backend is untouched).

``find_resumable_checkpoint`` is what ``tools/train.py --resume`` uses
instead of trusting ``last_checkpoint`` blindly: mmengine's own
``CheckpointHook`` writes that file with a plain ``open(..., 'w')`` after
the save (``SafeCheckpointHook`` writes it atomically), so it can be empty
or name a file that is gone; then the newest complete checkpoint is used.
"""
import errno
import os
import os.path as osp
import re
import stat
import tempfile
import zipfile
from typing import Optional, Union

from mmengine.fileio import LocalBackend, register_backend
from mmengine.logging import print_log

_TMP_PREFIX = '.tmp-'
_CKPT_RE = re.compile(r'^(epoch|iter)_(\d+)\.pth$')
ATOMIC_BACKEND = 'maxclip_atomic_local'


def current_umask() -> int:
    """The process umask, read now.

    Linux reports it in /proc; elsewhere ``os.umask`` can only be read by
    setting it, which briefly races with files other threads create.
    """
    try:
        with open('/proc/self/status', encoding='ascii') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temp_prefix(folder: str, name: str) -> str:
    """``.tmp-<name>.``, cut so that mkstemp's name fits NAME_MAX."""
    try:
        name_max = os.pathconf(folder, 'PC_NAME_MAX')
    except (OSError, ValueError):
        name_max = 255
    room = name_max - len(_TMP_PREFIX) - 1 - 8  # mkstemp adds 8 chars
    return f'{_TMP_PREFIX}{name[:max(room, 0)]}.'


def _plain_write(data: bytes, path: str) -> None:
    with open(path, 'wb') as f:
        f.write(data)


def atomic_write(data: Union[bytes, str], path: str,
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` to ``path`` so readers never see a partial file.

    The result matches a plain ``open(path, 'wb')`` write: an existing file
    keeps its permission bits, a new one gets ``0o666 & ~umask``, writing
    through a symlink updates its target, and something that is not a
    regular file (a FIFO, a device) or sits in a folder we cannot create
    files in is written in place, as ``open`` would. A hard-linked file is
    replaced, not rewritten: its other names keep the old contents.
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    path = osp.realpath(path)  # a symlink keeps pointing at the new file
    folder = osp.dirname(path)
    os.makedirs(folder, exist_ok=True)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        return _plain_write(data, path)
    if st is None:
        mode = 0o666 & ~current_umask()
    else:
        mode = stat.S_IMODE(st.st_mode)
    # Same folder: os.replace is only atomic within one filesystem.
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=_temp_prefix(folder, osp.basename(path)), dir=folder)
    except PermissionError:
        return _plain_write(data, path)  # raises as open() would
    except OSError as err:
        if err.errno != errno.EROFS:
            raise
        return _plain_write(data, path)
    try:
        os.fchmod(fd, mode)  # mkstemp makes it 0600
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


# A new backend name, chosen with ``backend_args=dict(backend=...)``; no
# prefix maps to it, so every other write keeps mmengine's backend.
register_backend(ATOMIC_BACKEND, AtomicLocalBackend, force=True)


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

