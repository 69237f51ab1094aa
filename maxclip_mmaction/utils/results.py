"""Aggregate results over seeds the way the base-to-novel papers report.

Base and novel top-1 are each averaged over the seeds; HM is the harmonic
mean of those averages, HM = 2BN / (B + N) (ViFi-CLIP's protocol), not the
average of per-seed HMs.
"""
import glob
import json
import os.path as osp
from statistics import mean, pstdev
from typing import Dict, List, Optional, Sequence

from ..evaluation.metrics.base_novel_acc_metric import harmonic_mean


def find_metrics(metrics: dict, name: str) -> Optional[float]:
    """Value of ``name`` in ``metrics``, allowing an evaluator prefix
    (``acc/base/top1`` matches ``base/top1``)."""
    for key, value in metrics.items():
        if key == name or key.endswith('/' + name):
            return float(value)
    return None


def _is_accuracy(metrics) -> bool:
    return isinstance(metrics, dict) and any(
        k.endswith(('top1', 'hm')) for k in metrics)


def _last_val_record(path: str) -> Optional[dict]:
    """The last validation record of a training run's ``scalars.json``
    (one JSON object a line; training lines carry ``lr`` and losses)."""
    last = None
    with open(path) as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a killed run
            if _is_accuracy(record) and 'lr' not in record:
                last = record
    return last


def load_run_metrics(work_dir: str) -> dict:
    """The newest test or validation metrics mmengine wrote in ``work_dir``.

    Each run writes into ``{work_dir}/{timestamp}/``: ``tools/test.py``
    dumps ``{timestamp}.json`` (one JSON object); a training run logs its
    validations to ``vis_data/scalars.json``. The newest run that has
    accuracy keys wins; for a training run it is its last validation, the
    final checkpoint's result in the base-to-novel configs (they validate
    after the last epoch only).
    """
    for run in sorted(glob.glob(osp.join(work_dir, '*', '')), reverse=True):
        stamp = osp.basename(osp.dirname(run))
        test = osp.join(run, f'{stamp}.json')
        if osp.isfile(test):
            try:
                with open(test) as f:
                    metrics = json.load(f)
            except (json.JSONDecodeError, UnicodeDecodeError):
                metrics = None
            if _is_accuracy(metrics):
                return metrics
        scalars = osp.join(run, 'vis_data', 'scalars.json')
        if osp.isfile(scalars):
            metrics = _last_val_record(scalars)
            if metrics is not None:
                return metrics
    raise FileNotFoundError(
        f'no test or validation metrics (top1/hm keys) under {work_dir}: '
        f'neither */<timestamp>.json from tools/test.py nor a validation '
        f'in */vis_data/scalars.json from training')


def summarize_b2n(runs: Sequence[dict]) -> Dict[str, float]:
    """Base / Novel averaged over seeds, HM of the averages, in percent."""
    if not runs:
        raise ValueError('no runs to summarise')
    base, novel = [], []
    for i, m in enumerate(runs):
        b, n = find_metrics(m, 'base/top1'), find_metrics(m, 'novel/top1')
        if b is None or n is None:
            raise KeyError(f'run {i} lacks base/top1 or novel/top1: '
                           f'{sorted(m)}')
        base.append(100 * b if b <= 1 else b)
        novel.append(100 * n if n <= 1 else n)
    b, n = mean(base), mean(novel)
    return dict(base=b, novel=n, hm=harmonic_mean([b, n]),
                base_std=pstdev(base), novel_std=pstdev(novel),
                seeds=len(runs))


def summarize_fewshot(runs: Dict[int, List[dict]]) -> Dict[int, float]:
    """Top-1 per shot count K, averaged over the runs of each K."""
    table = {}
    for k, metrics in sorted(runs.items()):
        values = [find_metrics(m, 'top1') for m in metrics]
        if any(v is None for v in values):
            raise KeyError(f'K={k}: a run lacks a top1 metric')
        table[k] = mean(100 * v if v <= 1 else v for v in values)
    return table
