"""The effective-batch check of the preflight (``tools/train.py``).

ViFi-CLIP's recipes fix the batch the LR was tuned for (GPUs x per-GPU
batch x accumulation); the configs reach it on 8 GPUs and state it as
``effective_batch_size``.
"""
import logging
import os
from typing import Optional

from mmengine.config import Config
from mmengine.logging import print_log

# Process-count variables each mmengine launcher reads, by launcher.
_WORLD_ENV = {'pytorch': 'WORLD_SIZE', 'slurm': 'SLURM_NTASKS',
              'mpi': 'OMPI_COMM_WORLD_SIZE'}


def world_size(cfg: Config) -> int:
    """Processes the launcher will start, read before it starts them."""
    launcher = cfg.get('launcher', 'none')
    return int(os.environ.get(_WORLD_ENV.get(launcher, ''), 1) or 1)


def check_effective_batch(cfg: Config) -> Optional[str]:
    """Warn when GPUs x per-GPU batch x accumulation misses the recipe.

    The schedules state the protocol's batch as ``effective_batch_size``
    and reach it on 8 GPUs; the same config on 4 or 16 GPUs would train
    with half or twice that batch at the same LR. mmengine's
    ``auto_scale_lr`` rescales the LR instead (and ignores accumulation),
    so the check stays quiet when it is enabled. Returns the warning.
    """
    wanted = cfg.get('effective_batch_size')
    loader = cfg.get('train_dataloader') or {}
    if not wanted or (cfg.get('auto_scale_lr') or {}).get('enable'):
        return None
    per_gpu = loader.get('batch_size', 1)
    accum = (cfg.get('optim_wrapper') or {}).get('accumulative_counts', 1)
    gpus = world_size(cfg)
    if gpus * per_gpu * accum == wanted:
        return None
    fix = []
    if wanted % (gpus * per_gpu) == 0:
        fix.append(f'optim_wrapper.accumulative_counts='
                   f'{wanted // (gpus * per_gpu)}')
    if wanted % (gpus * accum) == 0:
        fix.append(f'train_dataloader.batch_size={wanted // (gpus * accum)}')
    msg = (f'{cfg.filename}: effective batch {gpus} processes x '
           f'{per_gpu} per process x {accum} accumulation = '
           f'{gpus * per_gpu * accum}, but the recipe '
           f'(effective_batch_size) is {wanted}, at the same LR. Keep the '
           f'recipe with --cfg-options '
           f'{" or ".join(fix) if fix else "(per-GPU batch x accumulation)"}'
           f', or scale the LR with --auto-scale-lr.')
    if int(os.environ.get('RANK', 0)) == 0:
        print_log(msg, logger='current', level=logging.WARNING)
    return msg
