"""Which base-to-novel seed split a config, a checkpoint or a run used.

ViFi-CLIP trains base-to-novel once per seed split on
``fs_base_s{1,2,3}_train.txt``; the configs pick the file from the
``SEED_SPLIT`` environment variable (``seed_split`` in the config). The
split is read back from the training list's name wherever it is recorded.
"""
import os.path as osp
import re
from typing import Optional

from mmengine.config import Config

# ViFi-CLIP's base-to-novel training lists, one per seed split.
SPLIT_FILE = re.compile(r'fs_base_s(\d+)_train\.txt')


def split_in_text(text) -> Optional[str]:
    """The split of the first ``fs_base_s<N>_train.txt`` in ``text`` (a
    config's text, as mmengine saves it in checkpoints and work dirs)."""
    match = SPLIT_FILE.search(text) if isinstance(text, str) else None
    return match[1] if match else None


def seed_split(cfg: Config) -> Optional[str]:
    """The seed split (``'1'``...) the config trains on, read from its
    training list's name; None for other training lists."""
    loader = cfg.get('train_dataloader') or {}
    ann_file = str((loader.get('dataset') or {}).get('ann_file', ''))
    return split_in_text(osp.basename(ann_file))


def check_seed_split(cfg: Config) -> None:
    """``seed_split`` (the SEED_SPLIT environment variable in the
    base-to-novel configs) must be 1, 2 or 3 and name the list trained on.

    The configs build the list's path from it while mmengine reads the
    file, before ``--cfg-options`` apply: ``--cfg-options seed_split=2``
    would leave the path at split 1, and an override of the path would
    leave ``seed_split`` stale.
    """
    if 'seed_split' not in cfg:
        return
    value = str(cfg.seed_split)
    if value not in ('1', '2', '3'):
        raise ValueError(
            f'{cfg.filename}: seed_split={value!r} (the SEED_SPLIT '
            f'environment variable) must be 1, 2 or 3, the seed splits of '
            f"ViFi-CLIP's fs_base_s{{1,2,3}}_train.txt")
    trained = seed_split(cfg)
    if trained is not None and trained != value:
        raise ValueError(
            f'{cfg.filename}: seed_split={value!r} but '
            f'train_dataloader.dataset.ann_file='
            f'{cfg.train_dataloader.dataset.ann_file!r} is seed split '
            f'{trained}. Pick the split with SEED_SPLIT=N in the '
            f'environment, which sets both; --cfg-options apply after the '
            f'config built the path from it')
