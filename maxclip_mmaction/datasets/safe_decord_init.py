"""SafeDecordInit: MMAction2's ``DecordInit``, opening every video by path.

MMAction2's ``DecordInit`` hands decord an ``io.BytesIO`` of the file.
decord 0.6.0 then reads through its own in-memory ``AVIOBytesContext``,
whose ``seek`` sets the bytes left to ``file_size - offset`` in an unsigned
``size_t``: a seek past the end of the buffer wraps that count round and
the next ``read`` copies from beyond the buffer. FFmpeg's AVI demuxer makes
exactly that seek on a truncated AVI (to the end of the ``movi`` list the
header declares), so decord segfaults in its constructor and takes the
dataloader worker, and the run, with it. Opened by path, FFmpeg's own file
protocol answers the same seek with end-of-file and decord raises or reads
the frames that are there. The numbers are in benchmarks/README.md,
section "Decoders".

A file that is not on a local disk (another ``io_backend``) is fetched as
MMAction2 does and spilled to a temporary file, so it is opened by path
too. ``isolate_first_open`` additionally opens each video in a child
process the first time this process meets it, so a native crash of any
other kind is reported as an error naming the file instead of killing the
worker.

A truncated AVI or WebM opens and yields the frames before the cut, so
nothing fails and a clip sampled from a fraction of the video passes as
the whole. ``check_truncation`` compares the file size with the size the
container declares (``container_size``) and raises when the file is
shorter, so it is listed like any other unreadable file.
"""
import os
import os.path as osp
import subprocess
import sys
import tempfile
from typing import Optional, Set

from mmaction.datasets.transforms import DecordInit
from mmaction.registry import TRANSFORMS

from .container_size import declared_size

# The child opens the video the way ``_open`` does and decodes the first
# and the last frame, where a damaged file most often fails.
_PROBE = '''
import sys
import decord
vr = decord.VideoReader(sys.argv[1], num_threads=1)
n = len(vr)
if n == 0:
    raise SystemExit('no frames')
vr.get_batch([0, n - 1]).asnumpy()
'''


def probe_in_child(path: str, timeout: float = 120) -> Optional[str]:
    """Open ``path`` with decord in a child process; why it failed, or
    None. A crash of the child (a signal) is a failure like any other."""
    try:
        proc = subprocess.run([sys.executable, '-c', _PROBE, path],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE,
                              timeout=timeout,
                              env=dict(os.environ, OMP_NUM_THREADS='1'))
    except subprocess.TimeoutExpired:
        return f'decoder still running after {timeout:g} s'
    if proc.returncode == 0:
        return None
    if proc.returncode < 0:
        return f'decoder crashed (signal {-proc.returncode})'
    lines = proc.stderr.decode('utf-8', 'replace').strip().splitlines()
    return lines[-1] if lines else f'decoder exited {proc.returncode}'


def check_complete(path: str, filename: str) -> None:
    """Raise if the file is shorter than its container declares."""
    declared = declared_size(path)
    if declared is None:
        return
    expected, container = declared
    actual = os.path.getsize(path)
    # one byte short is a RIFF pad byte some writers leave off the end
    if actual < expected - 1:
        raise RuntimeError(
            f'{filename}: truncated: {actual} bytes, but its {container} '
            f'structure declares {expected} or more (cut at '
            f'{100 * actual / expected:.0f} % or earlier)')


@TRANSFORMS.register_module()
class SafeDecordInit(DecordInit):
    """``DecordInit`` that opens the video by path, never from a buffer.

    Drop-in for ``dict(type='DecordInit', io_backend='disk')``; it adds the
    same keys (``video_reader``, ``total_frames``, ``avg_fps``), so
    ``DecordDecode`` follows it unchanged.

    Args:
        io_backend (str): ``'disk'`` opens the file in place; any other
            mmengine backend fetches the bytes and opens them from a
            temporary file. Defaults to ``'disk'``.
        num_threads (int): decoding threads. Defaults to 1.
        isolate_first_open (bool): open each video first in a child
            process (once per process), so a native decoder crash becomes
            a ``RuntimeError`` naming the file. Costs one child process
            per video per dataloader worker. Defaults to False.
        check_truncation (bool): raise when the file is shorter than its
            container (AVI, MP4, WebM / Matroska) declares. Defaults to
            True.
        **kwargs: arguments of the file backend.
    """

    def __init__(self,
                 io_backend: str = 'disk',
                 num_threads: int = 1,
                 isolate_first_open: bool = False,
                 check_truncation: bool = True,
                 **kwargs) -> None:
        super().__init__(
            io_backend=io_backend, num_threads=num_threads, **kwargs)
        self.isolate_first_open = isolate_first_open
        self.check_truncation = check_truncation
        self._opened: Set[str] = set()

    def _get_video_reader(self, filename: str) -> object:
        if osp.splitext(filename)[0] == filename:
            filename = filename + '.mp4'  # as DecordInit does
        if self.io_backend == 'disk' and not self.kwargs:
            if not osp.isfile(filename):
                raise FileNotFoundError(f'no such video: {filename}')
            return self._open(filename, filename)
        return self._open_fetched(filename)

    def _open(self, path: str, filename: str) -> object:
        import decord
        if self.check_truncation:
            check_complete(path, filename)
        if self.isolate_first_open and filename not in self._opened:
            why = probe_in_child(path)
            if why is not None:
                raise RuntimeError(f'{filename}: {why}')
            self._opened.add(filename)
        return decord.VideoReader(path, num_threads=self.num_threads)

    def _open_fetched(self, filename: str) -> object:
        """Fetch through mmengine's file backend, open from a temporary
        file. The file is unlinked at once: FFmpeg keeps it open."""
        from mmengine import fileio
        data = fileio.get(
            filename,
            backend_args=dict(backend=self.io_backend, **self.kwargs))
        suffix = osp.splitext(filename)[1]
        with tempfile.NamedTemporaryFile(suffix=suffix) as f:
            f.write(data)
            f.flush()
            return self._open(f.name, filename)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(io_backend={self.io_backend}, '
                f'num_threads={self.num_threads}, '
                f'isolate_first_open={self.isolate_first_open}, '
                f'check_truncation={self.check_truncation})')
