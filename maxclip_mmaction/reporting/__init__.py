"""Result reporting behind ``tools/report_results.py``: Base / Novel / HM,
few-shot and zero-shot summaries over work dirs."""
from .results import (duplicate_runs, failed_counts, find_metrics, load_run,
                      load_run_metrics, percent, summarize_b2n,
                      summarize_fewshot, summarize_zeroshot)

__all__ = [
    'duplicate_runs', 'failed_counts', 'find_metrics', 'load_run',
    'load_run_metrics', 'percent', 'summarize_b2n', 'summarize_fewshot',
    'summarize_zeroshot'
]
