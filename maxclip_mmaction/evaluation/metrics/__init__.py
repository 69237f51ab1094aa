from .base_novel_acc_metric import BaseNovelAccMetric, harmonic_mean
from .failure_aware_acc_metric import FailureAwareAccMetric

__all__ = ['BaseNovelAccMetric', 'harmonic_mean', 'FailureAwareAccMetric']
