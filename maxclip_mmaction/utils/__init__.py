from .results import (duplicate_runs, failed_counts, find_metrics, load_run,
                      load_run_metrics, percent, summarize_b2n,
                      summarize_fewshot, summarize_zeroshot)
from .seed_split import check_seed_split, seed_split, split_in_text

__all__ = [
    'duplicate_runs', 'failed_counts', 'find_metrics', 'load_run',
    'load_run_metrics', 'percent', 'summarize_b2n', 'summarize_fewshot',
    'summarize_zeroshot', 'check_seed_split', 'seed_split', 'split_in_text'
]
