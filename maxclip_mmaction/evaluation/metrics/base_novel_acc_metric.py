"""BaseNovelAccMetric: per-group accuracy and their harmonic mean."""
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from mmaction.evaluation import mean_class_accuracy
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from .failure_aware_acc_metric import (is_failed, score_as_wrong,
                                       top_k_counting_failures)


@METRICS.register_module()
class BaseNovelAccMetric(BaseMetric):
    """Top-1, top-5 and mean class accuracy of each class group, plus HM.

    The base-to-novel protocol (ViFi-CLIP) evaluates base videos against
    the base names and novel videos against the novel names. Run on a
    ``BaseNovelVideoDataset`` (scores over the union of the names), this
    metric gives the same numbers in one pass: each video's scores are cut
    to the columns of its own group (found from its gt label, since each
    group's classes are contiguous) and its label re-indexed in that group.
    Comparing only within the group's columns also makes a head's per-group
    softmax harmless.

    Keys: ``hm`` (first, for ``save_best='auto'``), then ``<group>/top1``,
    ``<group>/top5``, ``<group>/mean1`` per group. ``hm`` is the harmonic
    mean of the groups' top-1 (one group: its top-1). Values are fractions,
    as MMAction2's ``AccMetric`` reports them. Groups come from
    ``dataset_meta['class_groups']`` / ``['group_names']``; a dataset
    without them is one group named ``all``.

    Args:
        topk (Sequence[int]): the k of the ``top{k}`` keys. Defaults to
            ``(1, 5)``; 1 must be in it.
        collect_device (str): as for ``BaseMetric``. Defaults to ``'cpu'``.
        prefix (str, optional): key prefix. Defaults to None (keys as
            above).
    """

    default_prefix: Optional[str] = None
    # Unreadable test videos (RobustDecodeMixin) score as wrong; the count
    # is reported as ``failed``.
    counts_decode_failures = True

    def __init__(self,
                 topk: Sequence[int] = (1, 5),
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.topk = tuple(int(k) for k in topk)
        if 1 not in self.topk:
            raise ValueError(f'topk must contain 1 (for hm), got {topk!r}')

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep each sample's score vector and gt label."""
        for sample in data_samples:
            label = sample['gt_label']
            if label.numel() != 1:
                raise ValueError(f'BaseNovelAccMetric is single-label, got '
                                 f'gt_label of shape {tuple(label.shape)}')
            pred = sample['pred_score'].cpu().numpy()
            failed = is_failed(sample)
            if failed:  # an unreadable test video counts as wrong
                pred = score_as_wrong(pred, int(label.item()))
            self.results.append(
                dict(pred=pred, label=int(label.item()), failed=failed))

    def _groups(self, num_classes: int):
        """Group index per class and group names, from ``dataset_meta``."""
        meta = self.dataset_meta or {}
        class_groups = meta.get('class_groups')
        if class_groups is None:
            return np.zeros(num_classes, dtype=int), ['all']
        class_groups = np.asarray(class_groups, dtype=int)
        if len(class_groups) != num_classes:
            raise ValueError(f'dataset_meta has {len(class_groups)} class '
                             f'groups but the model scored {num_classes} '
                             f'classes; do the head names follow the dataset'
                             f' (ClassNamesHook)?')
        names = list(
            meta.get('group_names')
            or [f'group{g}' for g in range(class_groups.max() + 1)])
        return class_groups, names

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Per-group accuracy, each sample ranked among its group only."""
        scores = np.stack([r['pred'] for r in results])  # (B, C)
        labels = np.array([r['label'] for r in results])
        failed = np.array([r['failed'] for r in results], dtype=bool)
        class_groups, group_names = self._groups(scores.shape[1])
        metrics, top1s, missing = OrderedDict(hm=0.0), [], []
        for g, name in enumerate(group_names):
            cols = np.flatnonzero(class_groups == g)
            rows = np.flatnonzero(class_groups[labels] == g)
            if len(rows) == 0:
                missing.append(name)
                continue
            # label -> its index among the group's columns
            local = np.searchsorted(cols, labels[rows])
            group_scores = scores[np.ix_(rows, cols)]  # (B_g, C_g)
            accs = top_k_counting_failures(group_scores, local,
                                           failed[rows], self.topk)
            for k, acc in zip(self.topk, accs):
                metrics[f'{name}/top{k}'] = float(acc)
            metrics[f'{name}/mean1'] = float(
                mean_class_accuracy(group_scores, local))
            top1s.append(metrics[f'{name}/top1'])
        # A group without samples has no accuracy: the HM of the others
        # alone would pass for the base-to-novel result, so it is 0.
        metrics['hm'] = 0.0 if missing else harmonic_mean(top1s)
        if missing:
            MMLogger.get_current_instance().warning(
                f'BaseNovelAccMetric: no sample of group(s) {missing}, so '
                f'hm is reported as 0')
        # a float: mmengine's JSON dump of a test run drops numpy ints
        metrics['failed'] = float(failed.sum())
        return metrics


def harmonic_mean(values: Sequence[float]) -> float:
    """Harmonic mean; 0 if any value is 0 (or there is none)."""
    if not values or min(values) <= 0:
        return 0.0
    return float(len(values) / sum(1.0 / v for v in values))
