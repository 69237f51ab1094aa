"""Preflight check: every dataset spec gives only arguments its type takes.

Changing only ``type`` in a child config keeps the parent's other keys
(mmengine merges dicts), so a plain ``VideoDataset`` under a base-to-novel
parent inherits ``groups`` and fails deep in the Runner with
``BaseDataset.__init__() got an unexpected keyword argument 'groups'``,
which names neither the config key nor the fix.
"""
import inspect
from typing import Iterator, Optional, Set, Tuple

from mmaction.registry import DATASETS
from mmengine.config import Config

_LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def accepted_arguments(cls: type) -> Optional[Set[str]]:
    """Keyword arguments ``cls(...)`` accepts, following ``**kwargs`` up
    the MRO (the usual way a dataset forwards them to its base); None when
    the chain ends in ``**kwargs`` (anything goes)."""
    names: Set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get('__init__')
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):  # a builtin: cannot tell
            return None
        names.update(
            p.name for p in params
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return names - {'self'}
    return None


def dataset_specs(node, path: str) -> Iterator[Tuple[str, dict]]:
    """(key path, spec) of a dataset spec and of those it wraps."""
    if isinstance(node, dict) and 'type' in node:
        yield path, node
        for key in ('dataset', 'datasets'):
            yield from dataset_specs(node.get(key), f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, sub in enumerate(node):
            yield from dataset_specs(sub, f'{path}[{i}]')


def check_dataset_arguments(cfg: Config) -> None:
    """Raise naming the loader key, the dataset type and the argument when
    a dataset spec has a key its type does not take."""
    for loader in _LOADERS:
        spec = (cfg.get(loader) or {}).get('dataset')
        for path, dataset in dataset_specs(spec, f'{loader}.dataset'):
            kind = dataset['type']
            cls = DATASETS.get(kind) if isinstance(kind, str) else kind
            if not isinstance(cls, type):
                continue  # an unknown type is check_types' to report
            accepted = accepted_arguments(cls)
            if accepted is None:
                continue
            extra = sorted(set(dataset) - accepted - {'type'})
            if extra:
                name = getattr(cls, '__name__', kind)
                raise ValueError(
                    f'{cfg.filename}: {path}.{extra[0]}: {name} does not '
                    f'take {extra[0]!r}' +
                    (f' (nor {extra[1:]})' if extra[1:] else '') +
                    f'. A key of the _base_ config\'s dataset is kept when '
                    f'a child config changes only `type`; replace the '
                    f'whole dataset with {path.split(".")[0]} = dict('
                    f"dataset=dict(_delete_=True, type='{name}', ...)), "
                    f'or start from a config whose dataset already is a '
                    f'{name} (for a plain train/val/test dataset: '
                    f'configs/custom/, not a base-to-novel config). '
                    f'{name} takes: '
                    f'{", ".join(sorted(accepted))}.')
