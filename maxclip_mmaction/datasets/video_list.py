"""Read and check ``path label`` video lists; class subsets; few-shot.

MMAction2's ``VideoDataset`` parses these lists too, but it turns a bad
line into a bare ``ValueError`` from ``int()`` and lets an out-of-range
label through to a device-side assert hours later (mmaction2 #2159), so the
parsing and checks are written here, each error naming file, line and value.
ViFi-CLIP's split files have the same shape as MMAction2's lists.
"""
import numbers
import os.path as osp
import warnings
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

from .class_names import (clean_class_name, is_int, load_class_names,
                          text_lines)


def read_video_list(path: str,
                    num_classes: int,
                    names_origin: str = '',
                    delimiter: str = ' ',
                    check_class_count: bool = True,
                    test_mode: bool = False,
                    allow_duplicates: bool = False) -> List[dict]:
    """Parse ``path label`` lines into ``dict(filename, label)``.

    Args:
        path (str): the list file.
        num_classes (int): how many class names the labels index.
        names_origin (str): where the names came from, for messages.
        delimiter (str): between path and label; the label is the last
            field, so paths may contain the delimiter. Defaults to ``' '``.
        check_class_count (bool): also raise when no video has the last
            class: the usual sign of a full label file paired with a
            base/novel list (all labels in range, every name shifted).
            Defaults to True.
        test_mode (bool): the list is scored: a video listed twice would
            count twice, so it raises unless ``allow_duplicates``.
            Defaults to False (a training list: duplicates only warn).
        allow_duplicates (bool): a test list may list a video twice (it
            still warns). Defaults to False.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not UTF-8, empty list, malformed line, label out of
            range, a class count that disagrees with the labels, or a
            video listed twice in a test list.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'video list not found: {path}')
    names_origin = names_origin or 'the class names'
    data_list = []
    for lineno, raw in enumerate(text_lines(path), start=1):
        line = raw.strip()
        if not line:
            continue
        fields = line.rsplit(delimiter, 1)
        label = fields[-1].strip()
        if len(fields) != 2 or not is_int(label) or not fields[0].strip():
            raise ValueError(f'{path}:{lineno}: expected "<video> '
                             f'<int label>", got {line!r}')
        _check_not_rawframes(path, lineno, line, fields[0], delimiter)
        label = int(label)
        if not 0 <= label < num_classes:
            raise ValueError(
                f'{path}:{lineno}: label {label} out of range: '
                f'{names_origin} has {num_classes} classes (labels '
                f'0..{num_classes - 1}); line {line!r}')
        data_list.append(
            dict(filename=fields[0].strip(), label=label, lineno=lineno))
    if not data_list:
        raise ValueError(f'{path}: empty video list')
    _check_duplicates(path, data_list, test_mode, allow_duplicates)
    top = max(d['label'] for d in data_list)
    if check_class_count and top + 1 != num_classes:
        raise ValueError(
            f'{path}: labels go up to {top} but {names_origin} has '
            f'{num_classes} class names; is it the label file of another '
            f'split? Pass check_class_count=False if this list really '
            f'lacks the last classes.')
    return data_list


def _check_duplicates(path: str, data_list: List[dict], test_mode: bool,
                      allow_duplicates: bool) -> None:
    """Warn about (or, in a test list, refuse) a video listed twice: a
    test metric would count it twice."""
    first, repeats = {}, []
    for d in data_list:
        if d['filename'] in first:
            repeats.append((first[d['filename']], d))
        else:
            first[d['filename']] = d
    if not repeats:
        return
    shown = '; '.join(
        f'{a["filename"]!r} on lines {a["lineno"]} and {b["lineno"]}'
        + ('' if a['label'] == b['label'] else
           f' (labels {a["label"]} and {b["label"]})')
        for a, b in repeats[:5])
    more = f' and {len(repeats) - 5} more' if len(repeats) > 5 else ''
    text = f'{path}: {len(repeats)} repeated videos: {shown}{more}'
    if test_mode and not allow_duplicates:
        raise ValueError(f'{text}. A test list scores each line, so these '
                         f'videos would count twice; remove the repeats or '
                         f'pass allow_duplicates=True to the dataset.')
    warnings.warn(text, stacklevel=3)


def _check_not_rawframes(path: str, lineno: int, line: str, video: str,
                         delimiter: str) -> None:
    """Raise on MMAction2's rawframes line ``frame_dir total_frames label``.

    Its path would be read as ``'frame_dir 20'``. A video path may hold the
    delimiter (``my clip.mp4 3``), but does not end in ``<delimiter><int>``.
    """
    head, sep, tail = video.rpartition(delimiter)
    if sep and head.strip() and is_int(tail):
        raise ValueError(
            f'{path}:{lineno}: {line!r} looks like a rawframes line '
            f'"<frame_dir> <total_frames> <label>"; this dataset reads '
            f'videos, "<video> <int label>" (path {head.strip()!r}?)')


def check_shots(num_shots, shot_seed) -> None:
    """Few-shot arguments: a positive int ``num_shots``, an int seed.

    ``bool`` is an ``int`` to Python (``True`` would be one shot) and a
    ``None`` seed makes numpy draw a different set every run: both raise.
    """
    if isinstance(num_shots, bool) or \
            not isinstance(num_shots, numbers.Integral) or num_shots < 1:
        raise ValueError(f'num_shots must be a positive int, got '
                         f'{num_shots!r}')
    if isinstance(shot_seed, bool) or \
            not isinstance(shot_seed, numbers.Integral):
        raise ValueError(f'shot_seed must be an int (the few-shot draw is '
                         f'seeded so it is the same every run), got '
                         f'{shot_seed!r}')


def resolve_class_subset(subset: Union[str, Sequence[Union[str, int]]],
                         names: List[str]) -> List[int]:
    """Class ids (into ``names``) of a subset given by names or ids.

    Args:
        subset: a list of names / int ids, or a file: a label file
            ``load_class_names`` reads (``.csv``/``.json``) or one name or
            id a line.
        names (list[str]): the cleaned class names of the dataset.
    """
    origin = 'class_subset'
    if isinstance(subset, str):
        origin = subset
        if osp.splitext(subset)[1].lower() in ('.csv', '.json'):
            subset = load_class_names(subset)
        else:
            if not osp.isfile(subset):
                raise FileNotFoundError(f'class_subset file not found: '
                                        f'{subset}')
            subset = [ln.strip() for ln in text_lines(subset) if ln.strip()]
    if not subset:
        raise ValueError(f'{origin}: empty class subset')
    index = {n: i for i, n in enumerate(names)}
    ids = []
    for item in subset:
        text = str(item).strip()
        if isinstance(item, bool):
            raise TypeError(f'{origin}: class subset item {item!r} is '
                            f'neither a class name nor an id')
        if isinstance(item, int) or is_int(text):
            idx = int(text)
            if not 0 <= idx < len(names):
                raise ValueError(f'{origin}: class id {idx} out of range '
                                 f'0..{len(names) - 1}')
        else:
            idx = index.get(clean_class_name(text))
            if idx is None:
                raise ValueError(f'{origin}: unknown class {item!r}; known: '
                                 f'{names[:5]}...')
        if idx in ids:
            raise ValueError(f'{origin}: class {item!r} listed twice')
        ids.append(idx)
    return ids


def select_classes(data_list: List[dict], ids: List[int],
                   origin: str) -> List[dict]:
    """Keep videos of classes ``ids``; relabel them ``0..len(ids)-1``.

    Raises if no video of ``origin`` (the list's path) is left: an empty
    dataset would only fail later, inside the sampler, with no file named.
    """
    new_label = {old: new for new, old in enumerate(ids)}
    kept = [
        dict(d, label=new_label[d['label']]) for d in data_list
        if d['label'] in new_label
    ]
    if not kept:
        raise ValueError(
            f'{origin}: no video of its {len(data_list)} belongs to the '
            f'class subset (class ids {ids[:10]}'
            f'{"..." if len(ids) > 10 else ""}); is the subset meant for '
            f'another list?')
    return kept


def sample_shots(data_list: List[dict], num_shots: int, seed: int,
                 names: List[str], origin: str) -> List[dict]:
    """Exactly ``num_shots`` videos per class, chosen by ``seed``.

    Deterministic: one ``numpy`` generator seeded with ``seed`` draws each
    class in class order; the kept videos stay in list order.
    """
    check_shots(num_shots, seed)
    by_class: Dict[int, List[int]] = defaultdict(list)
    for i, d in enumerate(data_list):
        by_class[d['label']].append(i)
    rng = np.random.default_rng(seed)
    keep = []
    for label in range(len(names)):
        pool = by_class.get(label, [])
        if len(pool) < num_shots:
            raise ValueError(f'{origin}: class {label} ({names[label]!r}) '
                             f'has {len(pool)} videos, fewer than '
                             f'num_shots={num_shots}')
        keep.extend(rng.choice(pool, size=num_shots, replace=False).tolist())
    return [data_list[i] for i in sorted(keep)]


def join_root(path, data_root: Optional[str]):
    """Join a relative file path to ``data_root`` (other values as is)."""
    if isinstance(path, str) and data_root and not osp.isabs(path):
        return osp.join(data_root, path)
    return path


def prefix_paths(data_list: List[dict], prefix: Optional[str]) -> List[dict]:
    """Join the video prefix and drop the parser's line numbers."""
    out = []
    for d in data_list:
        name = d['filename'] if not prefix else osp.join(prefix, d['filename'])
        out.append(dict(filename=name, label=d['label']))
    return out
