"""FailureAwareAccMetric: a video that could not be read counts as wrong."""
from typing import Any, Dict, List, Sequence

import numpy as np
from mmaction.evaluation import AccMetric
from mmaction.registry import METRICS


def score_as_wrong(pred: np.ndarray, label: int) -> np.ndarray:
    """A score vector that ranks ``label`` last (wrong at any k < C)."""
    scores = np.zeros_like(np.asarray(pred, dtype=np.float32))
    scores[..., label] = -1.0
    return scores


def is_failed(data_sample: dict) -> bool:
    """True if ``RobustDecodeMixin`` substituted this sample's video."""
    return bool(data_sample.get('decode_failed', False))


@METRICS.register_module()
class FailureAwareAccMetric(AccMetric):
    """MMAction2's ``AccMetric`` that never lets a failed video vanish.

    At test time ``RobustDecodeMixin`` gives a video that could not be
    decoded another video's frames (so batches keep their shapes) and marks
    it ``decode_failed``. Here its scores are replaced by ones that rank its
    true label last, so it counts as wrong in every accuracy, and the
    number of such videos is reported as ``failed``. Arguments are those
    of ``AccMetric``; single-label only for failed samples.
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
        metrics['failed'] = int(sum(r.get('failed', False) for r in results))
        return metrics
