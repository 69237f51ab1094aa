"""Read mmengine training logs and plot loss, LR and accuracy curves.

mmengine's ``LocalVisBackend`` writes ``<work_dir>/<timestamp>/vis_data/
scalars.json``: one JSON object per line, training lines with ``loss``,
``lr``, ``epoch``, ``iter`` and ``step`` (the global iteration), validation
lines with the metric keys and ``step`` (the epoch, for epoch-based loops).
MMAction 0.x / mmcv's ``*.log.json`` has the same lines plus ``mode``.
"""
import glob
import json
import os.path as osp
import re
import time
from typing import Dict, List, Optional, Sequence, Tuple

# Metric keys plotted when present; a key may carry a prefix
# (``b2n/hm``, ``test/base/top1``), so they are matched as suffixes.
METRIC_KEYS = ('hm', 'base/top1', 'novel/top1', 'acc/top1', 'top1')
# mmengine names each run's log folder after its start time.
_TIMESTAMP = re.compile(r'^\d{8}_\d{6}')


def find_scalars(path: str) -> List[str]:
    """The log files of ``path``, oldest first: itself if a file, else
    every ``<timestamp>/vis_data/scalars.json`` (or ``*.log.json``) of the
    work dir. A resumed run writes a new timestamp folder that starts at
    the resume point, so a run's curves need all of them."""
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        raise FileNotFoundError(f'no log file or work dir at {path!r}')
    found = (
        glob.glob(osp.join(path, '*', 'vis_data', 'scalars.json')) +
        glob.glob(osp.join(path, 'vis_data', 'scalars.json')) +
        glob.glob(osp.join(path, '*.log.json')))
    if not found:
        raise FileNotFoundError(f'{path}: no */vis_data/scalars.json or '
                                f'*.log.json (LocalVisBackend writes them)')
    return sorted(found, key=_started)


def _started(path: str) -> tuple:
    """Sort key: mmengine's run timestamp (``20260101_120000``) from the
    folder or file name, else the file's modification time as one."""
    for part in reversed(path.split(osp.sep)):
        match = _TIMESTAMP.match(part)
        if match:
            return match.group(0), path
    stamp = time.strftime('%Y%m%d_%H%M%S',
                          time.localtime(osp.getmtime(path)))
    return stamp, path


def read_run(path: str) -> Tuple[List[str], List[dict]]:
    """Every record of a work dir's runs (or of one log file), in order.

    Runs are read oldest first; where a resumed run repeats a step (it
    restarts at its checkpoint, before where the killed run stopped), the
    later run's record replaces the earlier one.

    Returns:
        tuple: the files read and the merged records.
    """
    files = find_scalars(path)
    merged = {}
    for log_file in files:
        for num, record in enumerate(read_scalars(log_file)):
            merged[_step_key(record) or (log_file, num)] = record
    records = list(merged.values())
    train = [r for r in records if _is_train(r)]
    val = [r for r in records if not _is_train(r)]
    return files, sorted(train, key=_order) + sorted(val, key=_order)


def _is_train(record: dict) -> bool:
    return 'loss' in record and record.get('mode') != 'val'


def _step_key(record: dict) -> Optional[tuple]:
    """What identifies a record across runs: its kind and step (mmengine)
    or epoch and iteration (mmcv's ``*.log.json``)."""
    if 'step' in record:
        return _is_train(record), record['step']
    if 'epoch' in record or 'iter' in record:
        return _is_train(record), record.get('epoch'), record.get('iter')
    return None


def _order(record: dict) -> tuple:
    return tuple(v if v is not None else -1 for v in (
        record.get('step'), record.get('epoch'), record.get('iter')))


def read_scalars(path: str) -> List[dict]:
    """Parse a JSON-lines log; a bad line raises naming file and line."""
    records = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f'{path}:{lineno}: not a JSON line '
                                 f'({err.msg})') from None
    return records


def metric_key(keys: Sequence[str], name: str) -> Optional[str]:
    """The key equal to ``name`` or ending in ``/name``, if any."""
    for key in keys:
        if key == name or key.endswith('/' + name):
            return key
    return None


def split_curves(records: List[dict]) -> Dict[str, Tuple[list, list]]:
    """Curves as ``{name: (xs, ys)}``: ``loss`` and ``lr`` over iterations,
    metrics (:data:`METRIC_KEYS`) over epochs."""
    is_train = [_is_train(r) for r in records]
    train = [r for r, t in zip(records, is_train) if t]
    val = [r for r, t in zip(records, is_train) if not t]
    curves = {}
    for name in ('loss', 'lr'):
        points = [(r.get('step', r.get('iter')), r[name]) for r in train
                  if name in r]
        if points:
            curves[name] = tuple(map(list, zip(*points)))
    val_keys = sorted({k for r in val for k in r})
    taken = set()
    for name in METRIC_KEYS:
        key = metric_key(val_keys, name)
        if key is None or key in taken:
            continue
        taken.add(key)
        points = [(r.get('epoch', r.get('step')), r[key]) for r in val
                  if key in r]
        curves[key] = tuple(map(list, zip(*points)))
    return curves


def plot_curves(runs: Sequence[Tuple[str, Dict[str, Tuple[list, list]]]],
                out_file: str,
                dpi: int = 100) -> None:
    """One figure: loss, learning rate and metrics, one line per run.

    Args:
        runs: ``(label, curves)`` pairs, curves from :func:`split_curves`.
        out_file (str): output image path.
        dpi (int): resolution. Defaults to 100.
    """
    import matplotlib
    matplotlib.use('Agg')  # files only, no display needed
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    ax_loss, ax_lr, ax_acc = axes
    styles = ('-', '--', ':', '-.')
    for i, (label, curves) in enumerate(runs):
        if 'loss' in curves:
            ax_loss.plot(*curves['loss'], label=label)
        if 'lr' in curves:
            ax_lr.plot(*curves['lr'], label=label)
        metrics = [k for k in curves if k not in ('loss', 'lr')]
        for j, key in enumerate(metrics):
            ax_acc.plot(
                *curves[key],
                styles[i % len(styles)],
                marker='o',
                color=f'C{j}',
                label=f'{label}: {key}')
    ax_loss.set(title='loss', xlabel='iteration')
    ax_lr.set(title='learning rate', xlabel='iteration')
    ax_acc.set(title='validation', xlabel='epoch', ylabel='accuracy')
    for ax in axes:
        if ax.lines:
            ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_file, dpi=dpi)
    plt.close(fig)
