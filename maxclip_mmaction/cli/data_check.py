"""Preflight check: the label files and video folders a run reads exist.

Without it a missing file surfaces from deep in the dataset build, one at
a time, as a traceback that names the file but not the config key it came
from; a missing test set of a training config is not read until
``tools/test.py``. Paths are resolved as the datasets resolve them
(relative to ``data_root`` when one is given). Remote paths and datasets
with their own ``backend_args`` are left to their backend.
"""
import os.path as osp
from typing import Iterator, List, Optional, Tuple

from mmengine.config import Config

from ..datasets.video_list import join_root
from .dataset_check import dataset_specs

# Keys that name one file, on a dataset and on a base-to-novel group.
_FILE_KEYS = ('ann_file', 'class_names', 'class_subset')


def _entries(spec: dict, path: str,
             root: Optional[str]) -> Iterator[Tuple[str, str, str]]:
    """(config key, path as the dataset resolves it, 'file' or 'folder')
    of what a dataset (or one of its base-to-novel groups) reads."""
    for key in _FILE_KEYS:
        if isinstance(spec.get(key), str) and spec[key]:
            yield f'{path}.{key}', join_root(spec[key], root), 'file'
    prefix = spec.get('data_prefix')
    prefixes = prefix.items() if isinstance(prefix, dict) else \
        [(None, prefix)]
    for name, value in prefixes:
        if isinstance(value, str) and value:
            key = f'{path}.data_prefix' + (f'.{name}' if name else '')
            yield key, join_root(value, root), 'folder'
    for i, group in enumerate(spec.get('groups') or []):
        if isinstance(group, dict):
            yield from _entries(group, f'{path}.groups[{i}]', root)


def _remote(spec: dict) -> bool:
    return bool(spec.get('backend_args') or spec.get('file_client_args'))


def missing_data(cfg: Config, loaders: List[str]) -> List[str]:
    """``'key = path: no such file'`` for each path ``loaders`` read that
    is not there."""
    out, seen = [], set()
    for loader in loaders:
        spec = (cfg.get(loader) or {}).get('dataset')
        for path, dataset in dataset_specs(spec, f'{loader}.dataset'):
            if _remote(dataset):
                continue
            root = dataset.get('data_root')
            for key, value, kind in _entries(dataset, path, root):
                if '://' in value or value in seen:
                    continue
                seen.add(value)
                found = osp.isfile(value) if kind == 'file' else \
                    osp.isdir(value)
                if not found:
                    out.append(f'{key} = {value}: no such {kind}')
    return out


def check_data_present(cfg: Config, mode: str = 'train') -> None:
    """Raise ``FileNotFoundError`` listing every missing path with its key.

    ``mode`` ``'train'`` checks the training set and, when the config
    validates, the validation set; ``'test'`` checks the test set.
    """
    loaders = ['test_dataloader'] if mode == 'test' else \
        ['train_dataloader'] + (['val_dataloader']
                                if cfg.get('val_cfg') is not None else [])
    missing = missing_data(cfg, loaders)
    if missing:
        lines = '\n  '.join(missing)
        raise FileNotFoundError(
            f'{cfg.filename}: the data this {mode} run reads is not '
            f'there:\n  {lines}\nPrepare it as docs/data/ says for each '
            f'benchmark (tools/data/ builds the lists), or point the keys '
            f'at your copy with --cfg-options.')
