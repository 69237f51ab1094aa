"""Check a label file's class names against the class in the file names.

HMDB51 and UCF101 video file names embed their class, so a list's labels
can be checked against the label file that names them:

- HMDB51: ``<title>_<action>_<6 metadata fields>.avi``
  (``The_Matrix_2_kick_f_cm_np1_le_med_6.avi`` is ``kick``);
- UCF101: ``v_<CamelCaseClass>_gXX_cYY.avi``
  (``v_ApplyEyeMakeup_g08_c01.avi`` is ``ApplyEyeMakeup``).

ViFi-CLIP's HMDB51 label CSVs swap ``kick`` / ``kick ball`` and ``sword`` /
``sword exercise`` relative to its own split files (docs/data/hmdb51.md);
a wrong name is silent in training and changes zero-shot and novel-class
results, so it is found here from the file names and fixed by majority.
"""
import csv
import os.path as osp
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

from ..datasets.class_names import load_class_names
from ..datasets.video_list import read_video_list

KINDS = ('hmdb51', 'ucf101')
# HMDB51: visible body parts, camera motion, people, viewpoint, quality,
# clip number after the action, e.g. ``_f_cm_np1_le_med_6``.
_HMDB_META_FIELDS = 6
_UCF = re.compile(r'v_(?P<cls>.+)_g[0-9]+_c[0-9]+', re.IGNORECASE)
# a label file or a list of names, as ``load_class_names`` takes
Names = Union[str, Sequence[str]]


@dataclass
class ClassCheck:
    """What the file names of one label id say.

    Attributes:
        label (int): the label id.
        listed (str): its name in the label file.
        embedded (str, optional): the name most of its files embed (as
            spelled in the label file); None if it has no videos or most
            of them embed no known class.
        counts (Counter): embedded name (None: no known class) -> videos.
        ambiguous (bool): two names tie for the majority.
    """
    label: int
    listed: str
    embedded: Optional[str] = None
    counts: Counter = field(default_factory=Counter)
    ambiguous: bool = False

    @property
    def videos(self) -> int:
        """Videos of this label id in the list."""
        return sum(self.counts.values())

    @property
    def affected(self) -> int:
        """Videos whose file name embeds another class than ``listed``."""
        return self.videos - self.counts.get(self.listed, 0)

    @property
    def mismatch(self) -> bool:
        """Whether any of its files embeds another class than ``listed``.

        A swapped name shows as ``embedded != listed``; a few odd files of
        an id named right show as ``embedded == listed``, ``affected > 0``.
        """
        return self.affected > 0


def _key(name: str, kind: str) -> str:
    # shape: 'kick ball' -> 'kick_ball' (HMDB, as in file names);
    # 'Apply Eye Makeup' / 'ApplyEyeMakeup' -> 'applyeyemakeup' (UCF)
    name = name.lower()
    if kind == 'ucf101':
        return name.replace(' ', '').replace('_', '')
    return '_'.join(name.split())


def embedded_class(filename: str, kind: str,
                   names: Sequence[str]) -> Optional[str]:
    """The class of ``names`` that a video's file name embeds, or None.

    Args:
        filename (str): the video path; only its base name is used.
        kind (str): ``'hmdb51'`` or ``'ucf101'``.
        names (list[str]): the class names to match (case-insensitive;
            HMDB: spaces as ``_``; UCF: spaces and ``_`` ignored).

    Returns:
        str | None: the matching entry of ``names``. For HMDB51 the longest
        name that ends the title-and-action part at a ``_`` boundary, so
        ``..._draw_sword_<meta>`` is ``draw sword``, not ``sword``.
    """
    if kind not in KINDS:
        raise ValueError(f'unknown dataset kind {kind!r}; expected one of '
                         f'{KINDS}')
    stem = osp.splitext(osp.basename(filename))[0]
    by_key = {_key(n, kind): n for n in names}
    if kind == 'ucf101':
        match = _UCF.fullmatch(stem)
        return by_key.get(_key(match['cls'], kind)) if match else None
    fields = stem.split('_')
    if len(fields) <= _HMDB_META_FIELDS:
        return None
    head = '_'.join(fields[:-_HMDB_META_FIELDS]).lower()
    found = [k for k in by_key if head == k or head.endswith('_' + k)]
    return by_key[max(found, key=len)] if found else None


def check_class_names(ann_file: str, class_names: Names,
                      kind: str) -> List[ClassCheck]:
    """Compare each label id's name with the class its file names embed.

    Args:
        ann_file (str): a ``path label`` list (MMAction2's or ViFi-CLIP's).
        class_names (str | list[str]): a label file or list of names that
            the labels index (read by ``load_class_names``).
        kind (str): ``'hmdb51'`` or ``'ucf101'``.

    Returns:
        list[ClassCheck]: one per label id, in id order (ids without
        videos in the list too, with empty counts).
    """
    names = load_class_names(class_names)
    origin = class_names if isinstance(class_names, str) else ''
    # the class count is not checked: a list lacking the last classes
    # is fine here, their ids just report no videos
    videos = read_video_list(
        ann_file, len(names), names_origin=origin, check_class_count=False)
    checks = [ClassCheck(i, n) for i, n in enumerate(names)]
    for video in videos:
        checks[video['label']].counts[embedded_class(video['filename'], kind,
                                                     names)] += 1
    for check in checks:
        top = check.counts.most_common(2)
        if top:
            check.embedded = top[0][0]
            check.ambiguous = len(top) > 1 and top[0][1] == top[1][1]
    return checks


def fixed_class_names(ann_file: str, class_names: Names,
                      kind: str) -> List[str]:
    """Class names renamed to what most of each id's file names embed.

    Names keep the label file's spelling (uncleaned); an id without videos
    keeps its name.

    Raises:
        ValueError: a file name embeds no known class, an id's majority is
            a tie, or the result names one class twice (naming the list,
            line, file and id).
    """
    origin = class_names if isinstance(class_names, str) else 'class_names'
    names = load_class_names(class_names)
    raw = load_class_names(class_names, clean=False)
    videos = read_video_list(
        ann_file, len(names), names_origin=origin, check_class_count=False)
    for video in videos:
        if embedded_class(video['filename'], kind, names) is None:
            raise ValueError(
                f'{ann_file}:{video["lineno"]}: {video["filename"]!r} '
                f'(label {video["label"]}) embeds no class of {origin}; '
                f'is the list from another dataset than {kind}?')
    index = {n: i for i, n in enumerate(names)}
    fixed = list(raw)
    for check in check_class_names(ann_file, class_names, kind):
        if check.ambiguous:
            raise ValueError(
                f'{ann_file}: id {check.label} ({check.listed!r} in '
                f'{origin}): no majority among its file names '
                f'{dict(check.counts)}')
        if check.embedded is not None:
            fixed[check.label] = raw[index[check.embedded]]
    _check_unique(fixed, ann_file, origin)
    return fixed


def _check_unique(names: List[str], ann_file: str, origin: str):
    first: Dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first:
            raise ValueError(
                f'{ann_file}: ids {first[name]} and {i} would both be named '
                f'{name!r}; {origin} cannot be fixed by majority (an id '
                f'without videos keeps its old name)')
        first[name] = i


def write_fixed_class_names(ann_file: str, class_names: Names, kind: str,
                            out_file: str) -> List[str]:
    """Write ``fixed_class_names`` as a ViFi-CLIP label CSV (``id,name``).

    Returns:
        list[str]: the names written, in id order.
    """
    names = fixed_class_names(ann_file, class_names, kind)
    out_dir = osp.dirname(out_file)
    if out_dir and not osp.isdir(out_dir):
        raise FileNotFoundError(f'output folder not found: {out_dir}')
    with open(out_file, 'w', newline='', encoding='utf-8') as f:
        writer = csv.writer(f, lineterminator='\n')
        writer.writerow(['id', 'name'])
        writer.writerows(enumerate(names))
    return names
