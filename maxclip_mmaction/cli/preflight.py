"""Config checks run by the tools before the Runner builds anything heavy.

A typo in a ``type``, a sampler that gives clips of another length than
the backbone was built for, or a label file that does not fit the
checkpoint otherwise surfaces after the model, the optimizer and the
dataloader workers are up (or, for the last, never: as wrong numbers).
Each check raises with the config file, the key and the value.
"""
import difflib
import os.path as osp
import pickle
import re
from typing import Iterator, List, Optional, Tuple

import mmaction.registry as mmreg
import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import Registry, init_default_scope

from ..engine.hooks import ClassNamesHook
from ..fileio import safe_load
from .data_check import check_data_present
from .dataset_check import check_dataset_arguments
from .effective_batch import check_effective_batch
from .schedule_check import check_schedule_length
from .seed_split import check_seed_split, split_in_text

# Registry expected under each config key (the nearest key wins).
_KEY_REGISTRY = {
    'model': 'MODELS', 'init_cfg': 'WEIGHT_INITIALIZERS',
    'dataset': 'DATASETS', 'datasets': 'DATASETS',
    'pipeline': 'TRANSFORMS', 'transforms': 'TRANSFORMS',
    'sampler': 'DATA_SAMPLERS', 'batch_sampler': 'DATA_SAMPLERS',
    'val_evaluator': 'METRICS', 'test_evaluator': 'METRICS',
    'default_hooks': 'HOOKS', 'custom_hooks': 'HOOKS',
    'optim_wrapper': 'OPTIM_WRAPPERS', 'optimizer': 'OPTIMIZERS',
    'constructor': 'OPTIM_WRAPPER_CONSTRUCTORS',
    'param_scheduler': 'PARAM_SCHEDULERS', 'train_cfg': 'LOOPS',
    'val_cfg': 'LOOPS', 'test_cfg': 'LOOPS', 'visualizer': 'VISUALIZERS',
    'vis_backends': 'VISBACKENDS', 'log_processor': 'LOG_PROCESSORS',
    'model_wrapper_cfg': 'MODEL_WRAPPERS',
}
_TOP_KEYS = ('model', 'train_dataloader', 'val_dataloader', 'test_dataloader',
             'val_evaluator', 'test_evaluator', 'default_hooks',
             'custom_hooks', 'optim_wrapper', 'param_scheduler', 'train_cfg',
             'val_cfg', 'test_cfg', 'visualizer', 'log_processor',
             'model_wrapper_cfg')
_LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def preflight(cfg: Config, checkpoint: Optional[str] = None,
              mode: str = 'train') -> None:
    """Run every check; ``mode`` is ``'train'`` or ``'test'``."""
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    check_types(cfg)
    check_dataset_arguments(cfg)
    check_frame_counts(cfg)
    check_class_names_hook(cfg)
    check_seed_split(cfg)
    if mode == 'train':
        check_effective_batch(cfg)
        check_schedule_length(cfg)
    check_data_present(cfg, mode)
    if checkpoint and mode == 'test':
        check_class_names(cfg, checkpoint, 'test_dataloader', strict=True)
    elif checkpoint and mode == 'train':
        check_class_names(cfg, checkpoint, 'train_dataloader', strict=False)


def _registries() -> dict:
    return {k: v for k, v in vars(mmreg).items()
            if isinstance(v, Registry) and not k.startswith('MMENGINE_')}


def _walk(node, path: str, reg: str) -> Iterator[Tuple[str, str, str]]:
    """Yield (key path, type name, expected registry) of every spec."""
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield path, node['type'], reg
        for key, value in node.items():
            sub = _KEY_REGISTRY.get(key, reg)
            yield from _walk(value, f'{path}.{key}', sub)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _walk(value, f'{path}[{i}]', reg)


def _known(registry: Registry) -> List[str]:
    names = []
    while registry is not None:
        names.extend(registry.module_dict)
        registry = registry.parent
    return names


def _locate(cfg: Config, value: str) -> str:
    """``file:line`` of the first quoted ``value`` in the config (or its
    bases), else the config file."""
    return _locate_line(cfg, lambda line: f"'{value}'" in line or
                        f'"{value}"' in line)


def _locate_line(cfg: Config, matches) -> str:
    """``file:line`` of the first line of the config (then its bases, in
    order) that ``matches``, else the config file."""
    files = [cfg.filename] if cfg.filename else []
    for path in files:
        try:
            with open(path, encoding='utf-8') as f:
                for lineno, line in enumerate(f, start=1):
                    if matches(line):
                        return f'{path}:{lineno}'
            base = Config._get_base_files(path)
        except Exception:  # unreadable or not a plain config file
            continue
        files.extend(osp.join(osp.dirname(path), b) for b in base
                     if isinstance(b, str) and '::' not in b)
    return cfg.filename or '<config>'


def check_types(cfg: Config) -> None:
    """Every ``type='...'`` must name a registered class."""
    regs = _registries()
    for top in _TOP_KEYS:
        if top not in cfg:
            continue
        first = _KEY_REGISTRY.get(top, 'DATASETS')
        for path, name, expected in _walk(cfg[top], top, first):
            if any(_get(r, name) for r in regs.values()):
                continue
            close = difflib.get_close_matches(
                name.split('.')[-1], _known(regs[expected]), n=3)
            hint = f'; did you mean {close}?' if close else ''
            raise ValueError(
                f'{_locate(cfg, name)}: {path}.type={name!r} is not a '
                f'registered {expected} type (is its module in '
                f'custom_imports?){hint}')


def _get(registry: Registry, name: str):
    try:
        return registry.get(name)
    except Exception:  # a scope prefix of a package that is absent
        return None


def _pipelines(node, path: str) -> Iterator[Tuple[str, list]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'pipeline' and isinstance(value, (list, tuple)):
                yield f'{path}.{key}', value
            else:
                yield from _pipelines(value, f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _pipelines(value, f'{path}[{i}]')


def check_frame_counts(cfg: Config) -> None:
    """The sampler's ``clip_len`` must equal ``backbone.num_frames``."""
    backbone = cfg.get('model', {}).get('backbone', {})
    frames = backbone.get('num_frames') if isinstance(backbone, dict) \
        else None
    if not isinstance(frames, int):
        return
    for loader in _LOADERS:
        if not cfg.get(loader):
            continue
        for path, pipeline in _pipelines(cfg[loader], loader):
            fmt = [t.get('input_format') for t in pipeline
                   if isinstance(t, dict) and t.get('type') == 'FormatShape']
            if fmt and fmt[0] != 'NCTHW':
                continue  # 2D formats fold frames into the batch
            for i, t in enumerate(pipeline):
                # SegmentSample's clip length is its num_segments
                key = 'num_segments' if isinstance(t, dict) and \
                    t.get('type') == 'SegmentSample' else 'clip_len'
                n = t.get(key) if isinstance(t, dict) else None
                if n is not None and n != frames:
                    # key=16 (dict call) or 'key': 16 (literal)
                    pattern = re.compile(rf'{key}\W{{0,2}}\s*[=:]\s*{n}\b')
                    where = _locate_line(cfg, pattern.search)
                    raise ValueError(
                        f'{where}: {path}[{i}] {t["type"]} samples '
                        f'clips of {key}={n} frames, but '
                        f'model.backbone.num_frames={frames} (the '
                        f'{backbone.get("type")} is built for that many); '
                        f'make them equal')


def _checkpoint_meta(checkpoint: str) -> dict:
    """The ``meta`` dict mmengine saved in a checkpoint ({} if none)."""
    if not osp.isfile(checkpoint):
        return {}
    try:  # mmap: only the meta is read, not every tensor
        ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True,
                          mmap=True)
    except pickle.UnpicklingError:
        ckpt = safe_load(checkpoint)  # raises the clear refusal
    except RuntimeError:  # not a zip archive: mmap is impossible
        ckpt = safe_load(checkpoint)
    meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    return meta if isinstance(meta, dict) else {}


def checkpoint_classes(checkpoint: str) -> Optional[tuple]:
    """The train-set class names mmengine recorded in the checkpoint's
    ``meta['dataset_meta']``, or None."""
    meta = _checkpoint_meta(checkpoint)
    classes = (meta.get('dataset_meta') or {}).get('classes')
    return tuple(classes) if classes is not None else None


def checkpoint_seed_split(checkpoint: str) -> Optional[str]:
    """The seed split a checkpoint was trained on, from the config text
    mmengine saves in its ``meta['cfg']``; None if it is not recorded."""
    return split_in_text(_checkpoint_meta(checkpoint).get('cfg'))


def _is_class_names_hook(hook) -> bool:
    if isinstance(hook, ClassNamesHook):
        return True
    kind = hook.get('type') if isinstance(hook, dict) else None
    if isinstance(kind, str):
        kind = _get(mmreg.HOOKS, kind)
    return isinstance(kind, type) and issubclass(kind, ClassNamesHook)


def check_class_names_hook(cfg: Config) -> None:
    """An open-vocabulary head built without class names needs
    ``ClassNamesHook``, or its first forward fails after the model, the
    optimizer and the workers are up (a child config's ``default_hooks``
    or ``custom_hooks`` can drop the hook)."""
    head = (cfg.get('model') or {}).get('cls_head') or {}
    if not isinstance(head, dict) or head.get('class_names') is not None:
        return
    kind = head.get('type')
    head_cls = _get(mmreg.MODELS, kind) if isinstance(kind, str) else kind
    if not hasattr(head_cls, 'set_class_names'):
        return
    hooks = list((cfg.get('default_hooks') or {}).values())
    hooks += list(cfg.get('custom_hooks') or [])
    if any(hook is not None and _is_class_names_hook(hook)
           for hook in hooks):
        return
    raise ValueError(
        f'{cfg.filename}: model.cls_head is a {kind} with '
        f'class_names=None and neither default_hooks nor custom_hooks '
        f'has a ClassNamesHook, so the head would get no class names '
        f'(did a child config replace default_hooks or custom_hooks?). '
        f"Add default_hooks = dict(class_names=dict(type='ClassNamesHook'))"
        f' (as configs/_base_/default_runtime.py does) or set '
        f'model.cls_head.class_names.')


def _dataset_classes(cfg: Config, loader: str) -> Optional[tuple]:
    """Class names of a dataloader's dataset, built without its list."""
    from mmaction.registry import DATASETS
    spec = cfg.get(loader, {}).get('dataset')
    if not spec:
        return None
    dataset = DATASETS.build(dict(spec, lazy_init=True))
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    return tuple(classes) if classes is not None else None


def check_class_names(cfg: Config, checkpoint: str, loader: str,
                      strict: bool) -> None:
    """A closed-set head must be run on the classes it was trained on.

    A head with ``set_class_names`` (``VideoTextHead``) scores whatever
    names it is given, so other names are the point of zero-shot and novel
    evaluation: logged only. Any other head maps output ``i`` to training
    class ``i``; other names (or another order) would score every video
    against the wrong class. That raises in testing (``strict``) and warns
    when training from ``load_from`` (fine-tuning to new classes).
    """
    from mmaction.registry import MODELS
    trained = checkpoint_classes(checkpoint)
    current = _dataset_classes(cfg, loader) if trained else None
    if not trained or not current or trained == current:
        return
    head = cfg.get('model', {}).get('cls_head') or {}
    head_cls = _get(MODELS, head.get('type', '')) if isinstance(
        head.get('type'), str) else head.get('type')
    diff = next((i for i, (a, b) in enumerate(zip(trained, current))
                 if a != b), min(len(trained), len(current)))
    what = (f'{checkpoint} was trained on {len(trained)} classes, '
            f'{loader}.dataset has {len(current)}; first difference at '
            f'class {diff}: {_at(trained, diff)!r} vs {_at(current, diff)!r}')
    if hasattr(head_cls, 'set_class_names'):
        print_log(f'{what}. {head.get("type")} is open-vocabulary, so this '
                  f'is fine for zero-shot / novel-class evaluation.',
                  logger='current')
    elif strict:
        raise ValueError(
            f'{cfg.filename}: {what}. The closed-set head '
            f'{head.get("type")} maps output i to training class i, so the '
            f'scores would be read against the wrong names; use the '
            f'label file the checkpoint was trained with.')
    else:
        print_log(f'{what}: the closed-set head {head.get("type")} is '
                  f'being fine-tuned to another class set.',
                  logger='current', level=30)


def _at(names: tuple, i: int) -> Optional[str]:
    return names[i] if i < len(names) else None
