"""Preflight check: the lr schedule spans the run that is configured.

An ``end`` written into ``param_scheduler`` is a number fixed when the
config is read, so ``--cfg-options train_cfg.max_epochs=2`` on an
11-epoch config leaves the cosine on 11 epochs and the lr never decays.
mmengine sets a scheduler's ``end`` to the train loop's length only when
the config leaves it out.
"""
import logging
from typing import Iterator, Tuple

from mmengine.config import Config
from mmengine.logging import print_log

from ..engine.schedulers import WarmupCosineLR


def _schedulers(node, path: str) -> Iterator[Tuple[str, str, dict]]:
    """(key path, --cfg-options path, spec) of every scheduler spec; a
    dict without ``type`` maps optimizer names to their schedulers."""
    if isinstance(node, dict) and 'type' not in node:
        for name, sub in node.items():
            for key, option, spec in _schedulers(sub, f'{path}.{name}'):
                yield key, option, spec
    elif isinstance(node, dict):
        yield path, path, node
    elif isinstance(node, (list, tuple)):
        for i, spec in enumerate(node):
            if isinstance(spec, dict):
                yield f'{path}[{i}]', f'{path}.{i}', spec


def _is_warmup_cosine(kind) -> bool:
    if isinstance(kind, str):
        return kind.split('.')[-1] == WarmupCosineLR.__name__
    return isinstance(kind, type) and issubclass(kind, WarmupCosineLR)


def _loop_length(train_cfg: dict):
    """(length, key, counts epochs) of the train loop, or None."""
    if isinstance(train_cfg.get('max_epochs'), int):
        return train_cfg['max_epochs'], 'train_cfg.max_epochs', True
    if isinstance(train_cfg.get('max_iters'), int):
        return train_cfg['max_iters'], 'train_cfg.max_iters', False
    return None


def check_schedule_length(cfg: Config) -> None:
    """A ``WarmupCosineLR`` must end where the train loop ends (else
    raise, naming both keys); any other scheduler that ends after the
    loop is cut short, which is logged as a warning (a schedule that
    ends earlier, a warmup say, is normal), as is a ``val_begin`` after
    the last epoch (``val_begin=max_epochs`` fixed when the config is
    read)."""
    loop = _loop_length(cfg.get('train_cfg') or {})
    if loop is None:
        return
    length, loop_key, loop_epochs = loop
    unit = 'epochs' if loop_epochs else 'iterations'
    val_begin = (cfg.get('train_cfg') or {}).get('val_begin')
    if isinstance(val_begin, int) and val_begin > length and \
            cfg.get('val_dataloader'):
        print_log(
            f'{cfg.filename}: train_cfg.val_begin={val_begin} but '
            f'{loop_key}={length}: this run never validates. Pass '
            f'--cfg-options train_cfg.val_begin={length} to validate '
            f'its last epoch.',
            logger='current',
            level=logging.WARNING)
    for key, option, spec in _schedulers(
            cfg.get('param_scheduler'), 'param_scheduler'):
        if spec.get('by_epoch', True) != loop_epochs:
            continue  # other units: converted only once data is loaded
        kind = spec.get('type')
        name = kind if isinstance(kind, str) else getattr(
            kind, '__name__', kind)
        end = spec.get('end')
        if _is_warmup_cosine(kind):
            _check_warmup_cosine(cfg, key, option, spec, length, loop_key)
        elif end is not None and end > length:
            print_log(
                f'{cfg.filename}: {key} ({name}) ends at end={end} '
                f'{unit} but {loop_key}={length}: the run stops '
                f'before the schedule does. Leave `end` out of it (the '
                f'runner then uses {loop_key}) or pass --cfg-options '
                f'{option}.end={length}.',
                logger='current',
                level=logging.WARNING)


def _check_warmup_cosine(cfg: Config, key: str, option: str, spec: dict,
                         length: int, loop_key: str) -> None:
    end, begin = spec.get('end'), spec.get('begin', 0)
    warmup, recipe = spec.get('warmup', 0), spec.get('recipe_length')
    fix = (f'Leave `end` out of {key} (the runner then sets it to '
           f'{loop_key}) and give the warmup for the recipe\'s length '
           f'with recipe_length, so it scales with the run; or pass '
           f'--cfg-options {option}.end={length}')
    if end is not None and end != length:
        raise ValueError(
            f'{cfg.filename}: {key}.end={end} but {loop_key}={length}: '
            f'the cosine of WarmupCosineLR would ' +
            ('stop before its floor, the lr never decaying, ' if end >
             length else 'reach its floor early, ') + f'silently. {fix}' +
            (f' (and {option}.warmup at most {length - begin}).'
             if recipe is None and warmup > length - begin else '.'))
    span = (end if end is not None else length) - begin
    if recipe is None and warmup > span:
        raise ValueError(
            f'{cfg.filename}: {key}.warmup={warmup} is longer than the '
            f'schedule, {span} (from {key}.begin={begin} to {loop_key}='
            f'{length}). Set {key}.recipe_length to the length the '
            f'warmup is given for (it then scales to the run), or pass '
            f'--cfg-options {option}.warmup=N with N <= {span}.')
