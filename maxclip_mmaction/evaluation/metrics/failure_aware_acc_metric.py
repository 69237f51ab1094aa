"""FailureAwareAccMetric: a video that could not be read counts as wrong."""
from typing import Any, Dict, List, Sequence

import numpy as np
from mmaction.evaluation import AccMetric, top_k_accuracy
from mmaction.registry import METRICS


def score_as_wrong(pred: np.ndarray, label: int) -> np.ndarray:
    """A score vector that ranks ``label`` last (wrong at any k < C).

    Wrong at top-1 (and so in mean class accuracy) whenever there are two
    classes or more; top-k for k >= C still finds the label, so top-k
    accuracy goes through ``top_k_counting_failures``.
    """
    scores = np.zeros_like(np.asarray(pred, dtype=np.float32))
    scores[..., label] = -1.0
    return scores


def top_k_counting_failures(scores: Sequence[np.ndarray],
                            labels: Sequence[int], failed: Sequence[bool],
                            topk: Sequence[int]) -> List[float]:
    """MMAction2's ``top_k_accuracy`` with failed rows wrong at every k.

    A failed video has no prediction, so it cannot be in the top k even
    when k is at least the number of classes (SynthMotion's novel group has
    four: its top-5 would be 1.0 whatever failed). The accuracy of the
    readable rows, times their share of all rows, is exactly that.
    """
    ok = np.flatnonzero(~np.asarray(failed, dtype=bool))
    if len(ok) == 0:
        return [0.0 for _ in topk]
    accs = top_k_accuracy([scores[i] for i in ok], [labels[i] for i in ok],
                          tuple(topk))
    return [float(acc) * len(ok) / len(failed) for acc in accs]


def is_failed(data_sample: dict) -> bool:
    """True if ``RobustDecodeMixin`` substituted this sample's video."""
    return bool(data_sample.get('decode_failed', False))


@METRICS.register_module()
class FailureAwareAccMetric(AccMetric):
    """MMAction2's ``AccMetric`` that never lets a failed video vanish.

    At test time ``RobustDecodeMixin`` gives a video that could not be
    decoded another video's frames (so batches keep their shapes) and marks
    it ``decode_failed``. Here it counts as wrong in every accuracy (its
    scores rank its true label last, and top-k leaves it out of the hits
    at every k) and the number of such videos is reported as ``failed``.
    Arguments are those of ``AccMetric``; single-label only for failed
    samples.
    """

    # BadVideoHook logs an error when no metric of a loop has this flag.
    counts_decode_failures = True

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        start = len(self.results)
        super().process(data_batch, data_samples)
        for result, sample in zip(self.results[start:], data_samples):
            result['failed'] = is_failed(sample)
            if result['failed']:
                result['pred'] = score_as_wrong(result['pred'],
                                                int(result['label']))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        metrics = super().compute_metrics(results)
        failed = [r.get('failed', False) for r in results]
        if any(failed) and 'top_k_accuracy' in self.metrics:
            # AccMetric.calculate's reading of the option.
            topk = self.metric_options.get('top_k_accuracy', {}).get(
                'topk', (1, 5))
            topk = (topk, ) if isinstance(topk, int) else tuple(topk)
            accs = top_k_counting_failures([r['pred'] for r in results],
                                           [r['label'] for r in results],
                                           failed, topk)
            metrics.update({f'top{k}': acc for k, acc in zip(topk, accs)})
        # a float: mmengine's JSON dump of a test run drops numpy ints
        metrics['failed'] = float(sum(failed))
        return metrics
