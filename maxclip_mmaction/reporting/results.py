"""Aggregate results over seeds the way the base-to-novel papers report.

Base and novel top-1 are each averaged over the seeds; HM is the harmonic
mean of those averages, HM = 2BN / (B + N) (ViFi-CLIP's protocol), not the
average of per-seed HMs. Zero-shot top-1 is the mean and standard
deviation over the target dataset's splits.

Accuracies are read as fractions: MMAction2's ``AccMetric`` and this
project's metrics report 0-1, and a value above 1 is an error rather than
a guess (a percent of 0.8 would otherwise read as 80 %).
"""
import glob
import json
import os.path as osp
from statistics import mean, pstdev
from typing import Dict, List, Optional, Sequence

from ..cli.seed_split import split_in_text
from ..evaluation.metrics.base_novel_acc_metric import harmonic_mean


def find_metrics(metrics: dict, name: str) -> Optional[float]:
    """Value of ``name`` in ``metrics``, allowing an evaluator prefix
    (``acc/base/top1`` matches ``base/top1``); None if absent or null.

    mmengine's LoggerHook writes an integer metric of a test run to
    ``{timestamp}.json`` as null (the message hub hands back a numpy
    integer, which its JSON dump drops); the metrics here report their
    ``failed`` count as a float for that reason, and a null from an older
    run reads as unknown.
    """
    for key, value in metrics.items():
        if key == name or key.endswith('/' + name):
            return None if value is None else float(value)
    return None


def percent(metrics: dict, name: str, where: str = 'run') -> float:
    """``name`` of ``metrics`` (a fraction, as the metrics report it) in
    percent; raises naming the run, key and value if absent or not in
    [0, 1]."""
    value = find_metrics(metrics, name)
    if value is None:
        raise KeyError(f'{where} lacks {name}: {sorted(metrics)}')
    if not 0 <= value <= 1:
        raise ValueError(
            f'{where}: {name}={value} is not a fraction in [0, 1]; '
            f"MMAction2's accuracy metrics (and this project's) report "
            f'fractions, so this is not one of their results')
    return 100 * value


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


def load_run(work_dir: str) -> dict:
    """The newest test or validation metrics mmengine wrote in ``work_dir``.

    Each run writes into ``{work_dir}/{timestamp}/``: ``tools/test.py``
    dumps ``{timestamp}.json`` (one JSON object); a training run logs its
    validations to ``vis_data/scalars.json``. The newest run that has
    accuracy keys wins; for a training run it is its last validation, the
    final checkpoint's result in the base-to-novel configs (they validate
    after the last epoch only).

    Returns ``dict(metrics=..., run_dir=..., seed_split=...)``; the seed
    split is read from the config the run saved (``vis_data/config.py``),
    None when it trained on no ``fs_base_s<N>_train.txt``.
    """
    for run in sorted(glob.glob(osp.join(work_dir, '*', '')), reverse=True):
        metrics = _run_metrics(run)
        if metrics is not None:
            config = osp.join(run, 'vis_data', 'config.py')
            text = open(config).read() if osp.isfile(config) else None
            return dict(metrics=metrics, run_dir=osp.normpath(run),
                        seed_split=split_in_text(text))
    raise FileNotFoundError(
        f'no test or validation metrics (top1/hm keys) under {work_dir}: '
        f'neither */<timestamp>.json from tools/test.py nor a validation '
        f'in */vis_data/scalars.json from training')


def _run_metrics(run: str) -> Optional[dict]:
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
    return _last_val_record(scalars) if osp.isfile(scalars) else None


def load_run_metrics(work_dir: str) -> dict:
    """The metrics of :func:`load_run`."""
    return load_run(work_dir)['metrics']


def duplicate_runs(work_dirs: Sequence[str],
                   runs: Sequence[dict]) -> List[str]:
    """Problems with a set of runs meant to be different seeds or splits.

    The same folder twice raises. Returned (to warn about): two runs
    that trained on the same seed split (from the configs they saved), or
    that report identical metrics (one run passed under two names, or a
    test of the same checkpoint).
    """
    seen = {}
    for work_dir in work_dirs:
        real = osp.realpath(work_dir)
        if real in seen:
            raise ValueError(f'{work_dir} is given twice (also as '
                             f'{seen[real]}): one work dir a seed split')
        seen[real] = work_dir
    problems = []
    for i in range(len(runs)):
        for j in range(i):
            a, b = runs[j], runs[i]
            split = a.get('seed_split')
            if split is not None and split == b.get('seed_split'):
                problems.append(
                    f"{a['run_dir']} and {b['run_dir']} both trained on "
                    f'seed split {split} (fs_base_s{split}_train.txt)')
            if _scores(a['metrics']) == _scores(b['metrics']):
                problems.append(f"{a['run_dir']} and {b['run_dir']} report "
                                f'identical metrics: the same run twice?')
    return problems


def _scores(metrics: dict) -> dict:
    """Accuracy keys only (a validation record also logs times)."""
    return {k: v for k, v in metrics.items()
            if k.endswith(('top1', 'top5', 'mean1', 'hm'))}


def failed_counts(runs: Sequence[dict]) -> Optional[List[Optional[int]]]:
    """Unreadable videos each run scored as wrong (the metrics' ``failed``
    key; None for a run whose count was not recorded), or None when no run
    has a count."""
    counts = [find_metrics(m, 'failed') for m in runs]
    if all(c is None for c in counts):
        return None
    return [None if c is None else int(c) for c in counts]


def summarize_b2n(runs: Sequence[dict]) -> Dict[str, float]:
    """Base / Novel averaged over seeds, HM of the averages, in percent."""
    if not runs:
        raise ValueError('no runs to summarise')
    base = [percent(m, 'base/top1', f'run {i}') for i, m in enumerate(runs)]
    novel = [percent(m, 'novel/top1', f'run {i}')
             for i, m in enumerate(runs)]
    b, n = mean(base), mean(novel)
    return dict(base=b, novel=n, hm=harmonic_mean([b, n]),
                base_std=pstdev(base), novel_std=pstdev(novel),
                seeds=len(runs), failed=failed_counts(runs))


def summarize_fewshot(runs: Dict[int, List[dict]]) -> Dict[int, float]:
    """Top-1 per shot count K, averaged over the runs of each K."""
    return {k: mean(percent(m, 'top1', f'K={k}') for m in metrics)
            for k, metrics in sorted(runs.items())}


def summarize_zeroshot(runs: Sequence[dict]) -> Dict[str, float]:
    """Top-1 (and top-5) mean and standard deviation over the splits of
    a zero-shot target (ViFi-CLIP reports HMDB51 / UCF101 / K-600 over
    three splits), in percent."""
    if not runs:
        raise ValueError('no runs to summarise')
    out = dict(splits=len(runs), failed=failed_counts(runs))
    for key in ('top1', 'top5'):
        if key == 'top5' and any(find_metrics(m, key) is None
                                 for m in runs):
            continue
        values = [percent(m, key, f'split {i}') for i, m in enumerate(runs)]
        out[key], out[f'{key}_std'] = mean(values), pstdev(values)
    return out
