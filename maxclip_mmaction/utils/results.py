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


def load_run_metrics(work_dir: str) -> dict:
    """The newest test/val metrics mmengine dumped in ``work_dir``.

    ``tools/test.py`` writes ``{work_dir}/{timestamp}/{timestamp}.json``
    (one JSON object); the newest file that holds accuracy keys wins.
    """
    pattern = osp.join(work_dir, '*', '*.json')
    for path in sorted(glob.glob(pattern), reverse=True):
        try:
            with open(path) as f:
                metrics = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue  # a per-line training log, not a test result
        if isinstance(metrics, dict) and any('top1' in k or k.endswith('hm')
                                             for k in metrics):
            return metrics
    raise FileNotFoundError(f'no test metrics (*.json with top1/hm keys) '
                            f'under {work_dir}; run tools/test.py there')


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
