from .results import (find_metrics, load_run_metrics, summarize_b2n,
                      summarize_fewshot)

__all__ = ['find_metrics', 'load_run_metrics', 'summarize_b2n',
           'summarize_fewshot']
