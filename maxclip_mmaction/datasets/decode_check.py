"""Run a config's decoding transforms over many videos in child processes.

A decoder can crash the process that calls it (decord 0.6.0 segfaults on
truncated AVIs opened from a buffer), so a check made in-process misses
exactly the files that would kill a run. Each child runs the decoding
part of the pipeline (from the first transform to the first ``*Decode``)
over a shard of the files in order and prints one JSON line per file; when
a child dies, the file it was on is reported with the signal and a new
child takes the rest of the shard. ``tools/data/check_videos.py
--decode`` and ``benchmarks/bench_decoders.py`` use it.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
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
    """Read ``{pipeline, files}`` from stdin, print one result a file."""
    job = json.loads(sys.stdin.read())
    import maxclip_mmaction  # noqa: F401 registers SafeDecordInit
    from mmaction.registry import TRANSFORMS
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    steps = Compose([TRANSFORMS.build(s) for s in job['pipeline']])
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


def _run_shard(files: List[str], pipeline: List[dict], timeout: float,
               done: Callable[[str, Optional[str]], None]) -> None:
    """Check ``files`` in order, restarting the child after a crash."""
    todo = list(files)
    while todo:
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen([sys.executable, '-m', __name__],
                                stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=log,
                                text=True,
                                env=_child_env())
        before = len(todo)
        proc.stdin.write(json.dumps(dict(pipeline=pipeline, files=todo)))
        proc.stdin.close()
        timer = threading.Timer(timeout * len(todo), proc.kill)
        timer.start()
        for line in proc.stdout:
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a decoder's own print
            if rec.get('path') == (todo[0] if todo else None):
                todo.pop(0)
                done(rec['path'], rec['error'])
        code = proc.wait()
        timer.cancel()
        log.seek(0)
        tail = log.read().decode('utf-8', 'replace').strip()[-2000:]
        log.close()
        if code > 0 and len(todo) == before:
            # Per-file errors are caught in the child: this is its setup.
            raise RuntimeError(f'the decoding check could not start '
                               f'(exit {code}): {tail}')
        if todo:
            why = f'decoder crashed (signal {-code})' if code < 0 else \
                f'decoder process exited {code}'
            done(todo.pop(0), why)


def check_decoding(
        files: Sequence[str],
        pipeline: Optional[Sequence[dict]] = None,
        workers: int = 1,
        timeout: float = 120,
        progress: Optional[Callable[[],
                                    None]] = None) -> Dict[str, Optional[str]]:
    """``{path: why it cannot be decoded, or None}`` for every file.

    Args:
        files: video paths.
        pipeline: a dataset pipeline (its decoding part is run); None
            runs ``DEFAULT_PIPELINE``.
        workers (int): child processes working at once. Defaults to 1.
        timeout (float): seconds a file may take before its child is
            killed. Defaults to 120.
        progress: called once per file checked.
    """
    steps = decoding_part(pipeline or DEFAULT_PIPELINE)
    results: Dict[str, Optional[str]] = {}
    lock = threading.Lock()

    def done(path, why):
        with lock:
            results[path] = why
            if progress is not None:
                progress()

    files = list(dict.fromkeys(files))
    workers = max(1, min(workers, len(files)))
    shards = [files[i::workers] for i in range(workers)]
    threads = [
        threading.Thread(target=_run_shard, args=(s, steps, timeout, done))
        for s in shards
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {f: results.get(f, 'not checked') for f in files}


if __name__ == '__main__':
    _child_main()
