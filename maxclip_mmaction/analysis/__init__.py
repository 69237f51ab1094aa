"""Analysis helpers behind ``tools/analysis/``: FLOPs, frame similarity,
training curves. Not imported by ``maxclip_mmaction`` itself, so that
matplotlib stays an optional dependency (``pip install -e '.[analysis]'``).
"""
from .flops import (arch_dims, arch_flops, count_flops, count_params,
                    vit_video_flops)
from .logs import (find_scalars, plot_curves, read_run, read_scalars,
                   split_curves)
from .similarity import (adjacent_similarity, average_similarity, frame_labels,
                         frame_similarity, load_frame_model, plot_similarity)

__all__ = [
    'vit_video_flops', 'arch_dims', 'arch_flops', 'count_flops',
    'count_params', 'find_scalars', 'read_run', 'read_scalars',
    'split_curves', 'plot_curves', 'frame_similarity', 'frame_labels',
    'load_frame_model', 'average_similarity', 'adjacent_similarity',
    'plot_similarity'
]
