"""SynthMotion: a tiny, seeded, procedurally generated video dataset.

A coloured shape moves over a white-noise background. A class is a phrase
``'<colour> <shape> <motion>'``; the novel classes recombine words that all
appear in base classes. Each motion needs several frames: one frame shows a
position and a size that every motion can produce (centres and sizes are
randomised), only the set of positions over time tells "left and right"
from "up and down", "in a circle", "diagonally" or "growing and
shrinking". No class depends on the order of frames: time-reversed pairs
(left-to-right vs right-to-left) would be invisible to an order-free
pooling over frames, mean or max (and so to MaxCLIP's token max-pool), so
they are left out on purpose; every motion here oscillates and looks the
same played backwards.

``make_synthmotion(root)`` writes ``videos/`` (H.264 ``.mp4``, plus some
VP9 ``.webm`` and MPEG-4 ``.avi`` to exercise the containers decord reads)
and ``annotations/`` (see ``docs/data/synthmotion.md``).
"""
import json
import os
import os.path as osp
from collections import Counter
from typing import Dict, List, Sequence, Tuple

import numpy as np

try:
    # Imported with the package on purpose: once decord's bundled FFmpeg
    # is loaded first, PyAV can no longer open the libvpx (VP8/VP9)
    # encoders (avcodec_open2 returns EINVAL).
    import av
except ImportError:  # only the generator needs PyAV
    av = None

COLOURS = {'red': (220, 40, 40), 'green': (40, 170, 50), 'blue': (40, 70, 220)}
SHAPES = ('circle', 'square', 'triangle')
MOTIONS = ('moving left and right', 'moving up and down', 'moving in a circle',
           'growing and shrinking', 'moving diagonally')
# (colour, shape, motion). In every evaluated group (base, novel, all 12)
# each colour+shape has two or more motions, so no single frame gives the
# class: one frame shows colour, shape and a position and size that every
# motion produces alike. The best one-frame rule picks the commonest class
# of the colour+shape: 3/8 on base, 2/4 on novel, 3/12 on all classes
# (``single_frame_accuracy``). Three colour+shape pairs are the fewest
# that show every colour and shape word in base.
BASE_CLASSES = (
    ('red', 'circle', 0),
    ('red', 'circle', 1),
    ('red', 'circle', 2),
    ('green', 'square', 2),
    ('green', 'square', 3),
    ('green', 'square', 4),
    ('blue', 'triangle', 0),
    ('blue', 'triangle', 1),
)
# Known objects doing motions they never do in base (seen there only on
# the green square), two by two: colour+shape alone or the motion alone
# each leaves two novel classes to choose from.
NOVEL_CLASSES = (
    ('red', 'circle', 3),
    ('red', 'circle', 4),
    ('blue', 'triangle', 3),
    ('blue', 'triangle', 4),
)
FEW_SHOTS = (2, 4, 8, 16)
_CODECS = {'.mp4': 'libx264', '.webm': 'libvpx-vp9', '.avi': 'mpeg4'}
VERSION = 3


def class_name(spec: Tuple[str, str, int]) -> str:
    """``('red', 'circle', 0)`` -> ``'red circle moving left and right'``."""
    colour, shape, motion = spec
    return f'{colour} {shape} {MOTIONS[motion]}'


def single_frame_accuracy(labels: Sequence[int],
                          specs: Sequence[Tuple[str, str, int]]) -> float:
    """Top-1 of the best rule that sees colour and shape but no motion.

    Such a rule can only answer the commonest class (in ``labels``) of the
    video's colour+shape; a model must beat this to show it uses motion.

    Args:
        labels (Sequence[int]): the labels of a list, indexing ``specs``.
        specs (Sequence[tuple]): ``(colour, shape, motion)`` per class.
    """
    counts = Counter(labels)
    best: Dict[Tuple[str, str], int] = {}
    for label, (colour, shape, _) in enumerate(specs):
        key = (colour, shape)
        best[key] = max(best.get(key, 0), counts[label])
    return sum(best.values()) / len(labels)


def _trajectory(motion: int, num_frames: int, size: int,
                rng: np.random.Generator) -> Tuple[np.ndarray, ...]:
    """Centre x, y and radius per frame, all ``(T,)``, in pixels.

    One frame must not tell the motion: a coordinate (or the radius) that
    does not move is drawn from the same law as one that does (a random
    point of the same oscillation), so x, y and the radius of any single
    frame have the same distribution under every motion.
    """
    t = np.arange(num_frames)
    period = rng.uniform(0.6, 1.0) * num_frames
    phase = rng.uniform(0, 2 * np.pi) + 2 * np.pi * t / period
    amp = rng.uniform(0.18, 0.24) * size
    r0 = rng.uniform(0.09, 0.13) * size
    cx, cy = rng.uniform(amp + 1.6 * r0, size - amp - 1.6 * r0, 2)
    wave = np.sin(phase)
    still = np.sin(rng.uniform(0, 2 * np.pi, 3))  # frozen oscillations
    dx = np.full(num_frames, amp * still[0])
    dy = np.full(num_frames, amp * still[1])
    radius = np.full(num_frames, r0 * (1 + 0.55 * still[2]))
    sign = rng.choice([-1, 1])  # either direction: no order to learn
    if motion == 0:
        dx = amp * wave
    elif motion == 1:
        dy = amp * wave
    elif motion == 2:
        dx, dy = amp * np.cos(phase), sign * amp * wave
    elif motion == 3:
        radius = r0 * (1 + 0.55 * wave)
    else:  # up-right or up-left diagonal
        dx, dy = amp * wave, sign * amp * wave
    return cx + dx, cy + dy, radius


def render_video(spec: Tuple[str, str, int], num_frames: int, size: int,
                 rng: np.random.Generator) -> np.ndarray:
    """One clip ``(T, H, W, 3)`` uint8, rendered without pixel loops."""
    colour, shape, motion = spec
    cx, cy, r = _trajectory(motion, num_frames, size, rng)
    grid = np.arange(size, dtype=np.float32)
    # (T,) -> (T, 1, 1) against the (H, 1) / (1, W) pixel grid
    dx = grid[None, None, :] - cx[:, None, None]
    dy = grid[None, :, None] - cy[:, None, None]
    r = r[:, None, None]
    if shape == 'circle':
        mask = dx**2 + dy**2 <= r**2
    elif shape == 'square':
        mask = np.maximum(np.abs(dx), np.abs(dy)) <= 0.85 * r
    else:  # apex up: width grows from 0 at the top to 2r at the bottom
        mask = (np.abs(dy) <= r) & (np.abs(dx) <= (dy + r) / 2)
    frames = rng.integers(200, 256, (num_frames, size, size, 3))
    tint = np.array(COLOURS[colour]) + rng.integers(-25, 26, 3)
    frames[mask] = np.clip(tint, 0, 255)
    return frames.astype(np.uint8)


def write_video(path: str, frames: np.ndarray, fps: int = 8) -> None:
    """Encode ``(T, H, W, 3)`` uint8 frames with PyAV (codec from ext)."""
    if av is None:
        raise ImportError('SynthMotion needs PyAV: pip install av')
    codec = _CODECS[osp.splitext(path)[1]]
    # bitexact: the WebM muxer otherwise writes random segment and track
    # UIDs, so two runs differ in bytes (not in pixels).
    with av.open(path, mode='w', options={'fflags': '+bitexact'}) \
            as container:
        try:
            stream = container.add_stream(codec, rate=fps)
            _configure(stream, codec, frames.shape)
            # One thread: MPEG-4's bits depend on the thread count (slices),
            # which would otherwise follow the machine's cores.
            stream.codec_context.thread_count = 1
            stream.codec_context.open()
        except av.error.FFmpegError as e:
            raise RuntimeError(
                f'{path}: PyAV cannot open the {codec} encoder ({e}). If '
                f'decord was imported before PyAV, its bundled FFmpeg '
                f'breaks the VP9 encoder: import maxclip_mmaction (or av) '
                f'first, or run tools/data/make_synthmotion.py') from e
        for frame in frames:
            img = av.VideoFrame.from_ndarray(frame, format='rgb24')
            container.mux(stream.encode(img))
        container.mux(stream.encode())


def _configure(stream, codec: str, shape: tuple) -> None:
    """Size, pixel format and quality options of an output stream."""
    stream.width, stream.height = shape[2], shape[1]
    stream.pix_fmt = 'yuv420p'
    if codec == 'libx264':
        # No macroblock tree / rate-control lookahead: with them x264
        # wrote different bits from the same pixels in some runs on an
        # AVX-512 CPU (up to 29 of 240 videos, decoded frames up to 45
        # levels apart), never with them off or with AVX2 only.
        stream.options = {
            'crf': '18',
            'preset': 'veryfast',
            'x264-params': 'mbtree=0:rc-lookahead=0'
        }
    elif codec == 'libvpx-vp9':
        stream.options = {
            'crf': '20',
            'b': '0',
            'deadline': 'realtime',
            'cpu-used': '8'
        }
    else:
        stream.bit_rate = 400_000


def _ext(index: int) -> str:
    """Mostly mp4; every 10th video webm, every 10th (+5) avi."""
    return {3: '.webm', 8: '.avi'}.get(index % 10, '.mp4')


def _write_list(path: str, items: List[Tuple[str, int]]) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines(f'{name} {label}\n' for name, label in items)


def _write_names(path: str, names: List[str]) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines(f'{n}\n' for n in names)


def _is_complete(root: str, params: dict) -> bool:
    meta = osp.join(root, 'annotations', 'synthmotion.json')
    if not osp.isfile(meta):
        return False
    with open(meta, encoding='utf-8') as f:
        done = json.load(f)
    if done.get('params') != params:
        return False
    return all(osp.isfile(osp.join(root, v)) for v in done['videos'])


def make_synthmotion(root: str = 'data/synthmotion',
                     seed: int = 0,
                     train_per_class: int = 20,
                     val_per_class: int = 6,
                     num_frames: int = 20,
                     size: int = 64,
                     force: bool = False) -> Dict[str, object]:
    """Write SynthMotion under ``root``; skip if it is already complete.

    Deterministic per ``seed``: each video draws from its own generator
    seeded with ``(seed, split, class, index)``.

    Args:
        root (str): output folder. Defaults to ``'data/synthmotion'``.
        seed (int): dataset seed. Defaults to 0.
        train_per_class (int): train videos per class (>= 16 for the
            16-shot list). Defaults to 20.
        val_per_class (int): val videos per class. Defaults to 6.
        num_frames (int): frames per video. Defaults to 20.
        size (int): frame height and width, even. Defaults to 64.
        force (bool): regenerate even if complete. Defaults to False.

    Returns:
        dict: ``root``, ``classes``, ``num_videos`` and ``skipped``.
    """
    if train_per_class < max(FEW_SHOTS):
        raise ValueError(f'train_per_class must be >= {max(FEW_SHOTS)} for '
                         f'the few-shot lists, got {train_per_class}')
    if size % 2 or size < 16:
        raise ValueError(f'size must be even and >= 16, got {size}')
    params = dict(
        version=VERSION,
        seed=seed,
        num_frames=num_frames,
        train_per_class=train_per_class,
        size=size,
        val_per_class=val_per_class)
    specs = list(BASE_CLASSES) + list(NOVEL_CLASSES)
    names = [class_name(s) for s in specs]
    if not force and _is_complete(root, params):
        return dict(
            root=root,
            classes=names,
            skipped=True,
            num_videos=len(specs) * (train_per_class + val_per_class))
    os.makedirs(osp.join(root, 'videos'), exist_ok=True)
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    lists: Dict[str, List[Tuple[str, int]]] = {'train': [], 'val': []}
    counts = {'train': train_per_class, 'val': val_per_class}
    for split_id, split in enumerate(('train', 'val')):
        for label, spec in enumerate(specs):
            for i in range(counts[split]):
                rng = np.random.default_rng([seed, split_id, label, i])
                name = f'videos/{split}_{label:02d}_{i:03d}{_ext(i)}'
                write_video(
                    osp.join(root, name),
                    render_video(spec, num_frames, size, rng))
                lists[split].append((name, label))
    _write_annotations(root, names, lists, seed)
    videos = [n for split in lists.values() for n, _ in split]
    with open(
            osp.join(root, 'annotations', 'synthmotion.json'),
            'w',
            encoding='utf-8') as f:
        json.dump(
            dict(params=params, classes=names, videos=videos), f, indent=1)
    return dict(
        root=root, classes=names, skipped=False, num_videos=len(videos))


def _write_annotations(root: str, names: List[str],
                       lists: Dict[str, List[Tuple[str,
                                                   int]]], seed: int) -> None:
    """Class-name files, base/novel/all lists and few-shot lists."""
    from .datasets.video_list import sample_shots
    ann = osp.join(root, 'annotations')
    num_base = len(BASE_CLASSES)
    _write_names(osp.join(ann, 'classnames.txt'), names)
    _write_names(osp.join(ann, 'base_classnames.txt'), names[:num_base])
    _write_names(osp.join(ann, 'novel_classnames.txt'), names[num_base:])
    for split in ('train', 'val'):
        items = lists[split]
        _write_list(osp.join(ann, f'{split}_all.txt'), items)
        _write_list(
            osp.join(ann, f'{split}_base.txt'),
            [(n, y) for n, y in items if y < num_base])
    _write_list(
        osp.join(ann, 'val_novel.txt'),
        [(n, y - num_base) for n, y in lists['val'] if y >= num_base])
    train = [dict(filename=n, label=y) for n, y in lists['train']]
    for k in FEW_SHOTS:
        shots = sample_shots(train, k, seed + k, names, 'train_all.txt')
        _write_list(
            osp.join(ann, f'train_fewshot_{k}.txt'),
            [(d['filename'], d['label']) for d in shots])
