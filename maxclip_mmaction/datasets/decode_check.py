"""Run a config's decoding transforms over many videos in child processes.

A decoder can crash the process that calls it (decord 0.6.0 segfaults on
truncated AVIs opened from a buffer), so a check made in-process misses
exactly the files that would kill a run. Each child runs the decoding
part of the pipeline (from the first transform to the first ``*Decode``)
over a shard of the files in order and prints one JSON line per file; when
a child dies, or spends longer than the timeout on one file (a decoder that
hangs, a stalled network mount), the file it was on is reported and a new
child takes the rest of the shard. ``tools/data/check_videos.py
--decode`` and ``benchmarks/bench_decoders.py`` use it.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from typing import Callable, Dict, List, Optional, Sequence

# The decoding part of the shipped configs (8 frames): what a check uses
# without a config.
DEFAULT_PIPELINE = [
    dict(type='SafeDecordInit'),
    dict(type='SegmentSample', num_segments=8, test_mode=True),
    dict(type='DecordDecode'),
]


def decoding_part(pipeline: Sequence[dict]) -> List[dict]:
    """The transforms up to and including the first ``*Decode`` one.

    Raises:
        ValueError: no transform's type ends in ``Decode``.
    """
    for i, step in enumerate(pipeline):
        if str(step.get('type', '')).endswith('Decode'):
            return [dict(s) for s in pipeline[:i + 1]]
    raise ValueError(f'no *Decode transform in the pipeline: '
                     f'{[s.get("type") for s in pipeline]}')


def _child_main() -> None:
    """Read ``{pipeline, imports, files}`` from stdin, print a ready line,
    then one result a file."""
    job = json.loads(sys.stdin.read())
    from mmaction.registry import TRANSFORMS
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    from mmengine.utils import import_modules_from_strings

    import maxclip_mmaction  # noqa: F401 registers SafeDecordInit
    import_modules_from_strings(job['imports'])
    init_default_scope('mmaction')
    steps = Compose([TRANSFORMS.build(s) for s in job['pipeline']])
    print(json.dumps(dict(ready=True)), flush=True)
    for path in job['files']:
        try:
            out = steps(dict(filename=path, start_index=0, modality='RGB'))
            imgs = out.get('imgs') if isinstance(out, dict) else None
            reason = None if imgs else 'no frames decoded'
        except Exception as err:  # any decoder error of one file
            text = f'{type(err).__name__}: {err}'.strip().splitlines()
            reason = text[0] if text else type(err).__name__
        print(json.dumps(dict(path=path, error=reason)), flush=True)


def _child_env() -> dict:
    """This environment, one OpenMP thread, and this package importable
    wherever the caller runs from."""
    root = os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.pathsep.join(
        p for p in (root, os.environ.get('PYTHONPATH')) if p)
    return dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=path)


class _Watchdog:
    """Kill a child that goes ``limit`` seconds without reporting.

    Each report re-arms it, so the limit is per file, however long the
    shard; ``fired`` tells a timeout from a crash, since both end the
    child with a signal.
    """

    def __init__(self, proc: subprocess.Popen, limit: float):
        self.proc, self.limit, self.fired = proc, limit, False
        self.deadline = time.monotonic() + limit
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(min(1.0, self.limit)):
            if time.monotonic() > self.deadline:
                self.fired = True
                self.proc.kill()
                return

    def rearm(self, limit: float) -> None:
        self.deadline = time.monotonic() + limit

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _run_shard(files: List[str], pipeline: List[dict], imports: List[str],
               timeout: float, startup: float,
               done: Callable[[str, Optional[str]], None]) -> None:
    """Check ``files`` in order, restarting the child after a crash or a
    file that takes longer than ``timeout``."""
    todo = list(files)
    while todo:
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen([sys.executable, '-m', __name__],
                                stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=log,
                                text=True,
                                env=_child_env())
        ready = False
        proc.stdin.write(
            json.dumps(dict(pipeline=pipeline, imports=imports, files=todo)))
        proc.stdin.close()
        # Importing torch and the registries is not a file's time.
        watchdog = _Watchdog(proc, max(startup, timeout))
        for line in proc.stdout:
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a decoder's own print
            if not isinstance(rec, dict):
                continue
            if rec.get('ready'):
                ready = True
                watchdog.rearm(timeout)
            elif rec.get('path') == (todo[0] if todo else None):
                watchdog.rearm(timeout)
                todo.pop(0)
                done(rec['path'], rec['error'])
        code = proc.wait()
        watchdog.stop()
        log.seek(0)
        tail = log.read().decode('utf-8', 'replace').strip()[-2000:]
        log.close()
        if not ready and not watchdog.fired:
            # Per-file errors are caught in the child: this is its setup.
            raise RuntimeError(f'the decoding check could not start '
                               f'(exit {code}): {tail}')
        if not ready:
            raise RuntimeError(f'the decoding check did not start within '
                               f'{max(startup, timeout):g} s: {tail}')
        if todo:
            if watchdog.fired:
                why = f'timed out (no result after {timeout:g} s)'
            elif code < 0:
                why = f'decoder crashed (signal {-code})'
            else:
                why = f'decoder process exited {code}'
            done(todo.pop(0), why)


def check_decoding(files: Sequence[str],
                   pipeline: Optional[Sequence[dict]] = None,
                   workers: int = 1,
                   timeout: float = 120,
                   progress: Optional[Callable[[], None]] = None,
                   imports: Sequence[str] = (),
                   startup: float = 600) -> Dict[str, Optional[str]]:
    """``{path: why it cannot be decoded, or None}`` for every file.

    Args:
        files: video paths.
        pipeline: a dataset pipeline (its decoding part is run); None
            runs ``DEFAULT_PIPELINE``.
        workers (int): child processes working at once. Defaults to 1.
        timeout (float): seconds one file may take before its child is
            killed and the file reported. Defaults to 120.
        progress: called once per file checked.
        imports: modules the children import first, e.g. a config's
            ``custom_imports['imports']``, which register the pipeline's
            own transforms.
        startup (float): seconds a child may take to import and build
            the pipeline. Defaults to 600.
    """
    if timeout <= 0:
        raise ValueError(f'timeout must be positive, got {timeout}')
    steps = decoding_part(pipeline or DEFAULT_PIPELINE)
    imports = [imports] if isinstance(imports, str) else list(imports)
    results: Dict[str, Optional[str]] = {}
    lock = threading.Lock()

    def done(path, why):
        with lock:
            results[path] = why
            if progress is not None:
                progress()

    errors: List[BaseException] = []

    def shard(paths):
        try:
            _run_shard(paths, steps, imports, timeout, startup, done)
        except BaseException as err:  # re-raised below, in the caller
            errors.append(err)

    files = list(dict.fromkeys(files))
    workers = max(1, min(workers, len(files)))
    threads = [
        threading.Thread(target=shard, args=(files[i::workers], ))
        for i in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return {f: results.get(f, 'not checked') for f in files}


if __name__ == '__main__':
    _child_main()
