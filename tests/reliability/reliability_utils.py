"""Tiny videos, broken videos and a tiny training config for the
reliability tests (imported by them; pytest puts this folder on the path).
"""
import os
import os.path as osp
import subprocess
import sys
import textwrap
from typing import Optional

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NAMES = ['red things', 'blue things', 'green things']
BAD = ['corrupt.mp4', 'empty.mp4', 'missing.mp4', 'truncated.mp4',
       'short.mp4']

# Registered from a module in tmp_path so subprocess runs see it too. The
# mixin is added unless the dataset already has it.
DATASET_MODULE = '''
from mmaction.registry import DATASETS
from maxclip_mmaction.datasets import OpenVocabVideoDataset
from maxclip_mmaction.datasets.robust import RobustDecodeMixin

if issubclass(OpenVocabVideoDataset, RobustDecodeMixin):
    RobustOVDataset = type('RobustOVDataset', (OpenVocabVideoDataset, ), {})
else:
    RobustOVDataset = type('RobustOVDataset',
                           (RobustDecodeMixin, OpenVocabVideoDataset), {})
DATASETS.register_module(name='RobustOVDataset', module=RobustOVDataset,
                         force=True)
'''


def write_video(path: str, frames: int, colour: int, size: int = 32):
    """An H.264 clip of ``frames`` frames whose brightness ramps."""
    import av
    with av.open(path, 'w') as container:
        stream = container.add_stream('libx264', rate=10)
        stream.width = stream.height = size
        stream.pix_fmt = 'yuv420p'
        for i in range(frames):
            img = np.zeros((size, size, 3), np.uint8)
            img[..., colour] = 40 + 15 * i
            frame = av.VideoFrame.from_ndarray(img, format='rgb24')
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def make_videos(root: str, per_class: int = 3, frames: int = 8) -> list:
    """Good videos plus the broken kinds of ``BAD``; returns list lines."""
    os.makedirs(root, exist_ok=True)
    lines = []
    for label in range(len(NAMES)):
        for k in range(per_class):
            name = f'c{label}_{k}.mp4'
            write_video(osp.join(root, name), frames, label)
            lines.append(f'{name} {label}')
    rng = np.random.default_rng(0)
    with open(osp.join(root, 'corrupt.mp4'), 'wb') as f:
        f.write(rng.bytes(4096))
    open(osp.join(root, 'empty.mp4'), 'wb').close()
    with open(osp.join(root, 'c0_0.mp4'), 'rb') as f:
        data = f.read()
    with open(osp.join(root, 'truncated.mp4'), 'wb') as f:
        f.write(data[:len(data) // 2])
    write_video(osp.join(root, 'short.mp4'), 2, 0)
    return lines


def write_list(path: str, lines: list) -> str:
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return str(path)


def pipeline(clip_len: int = 4, test_mode: bool = False,
             init: str = 'SafeDecordInit') -> list:
    """The shipped decoding (``SafeDecordInit``) unless ``init`` says."""
    return [
        dict(type=init),
        dict(type='SampleFrames', clip_len=clip_len, frame_interval=1,
             num_clips=1, test_mode=test_mode),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(32, 32), keep_ratio=False),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]


def write_config(tmp_path, ann_file: str, video_dir: str,
                 max_epochs: int = 3, extra: str = '',
                 imports=('robust_ds', )) -> str:
    """A tiny MaxCLIP train config (+ ``extra`` lines) in ``tmp_path``."""
    with open(tmp_path / 'robust_ds.py', 'w') as f:
        f.write(DATASET_MODULE)
    base = [osp.join(ROOT, 'configs/_base_/models/maxclip_tiny.py'),
            osp.join(ROOT, 'configs/_base_/default_runtime.py')]
    text = f'''
    _base_ = {base!r}
    custom_imports = dict(imports=['maxclip_mmaction'] + {list(imports)!r},
                          allow_failed_imports=False)
    model = dict(backbone=dict(num_frames=4))
    train_dataloader = dict(
        batch_size=4, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=True),
        dataset=dict(type='RobustOVDataset', ann_file={ann_file!r},
                     class_names={NAMES!r},
                     data_prefix=dict(video={video_dir!r}),
                     pipeline={pipeline()!r}))
    train_cfg = dict(type='EpochBasedTrainLoop', max_epochs={max_epochs},
                     val_interval=1000)
    optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3))
    param_scheduler = []
    default_hooks = dict(
        logger=dict(interval=1),
        checkpoint=dict(type='SafeCheckpointHook', interval=1,
                        max_keep_ckpts=1, save_best=None),
        bad_videos=dict(type='BadVideoHook', interval=1))
    custom_hooks = [dict(type='ClassNamesHook')]
    env_cfg = dict(dist_cfg=dict(backend='gloo', timeout=30))
    randomness = dict(seed=0)
    # Runners built in one second share mmengine's logger and message hub
    # (both are named after the timestamp) unless the names differ.
    experiment_name = {tmp_path.name!r}
    '''
    path = tmp_path / 'tiny_cfg.py'
    path.write_text(textwrap.dedent(text) + textwrap.dedent(extra))
    return str(path)


def tool_env(tmp_path) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore',
               PYTHONPATH=os.pathsep.join(
                   [str(tmp_path), ROOT, os.environ.get('PYTHONPATH', '')]))
    env.pop('MAXCLIP_BAD_VIDEO_DIR', None)
    return env


def start_tool(tmp_path, tool: str, *args,
               env_extra: Optional[dict] = None) -> subprocess.Popen:
    """Start ``tools/<tool>.py`` with the tests' PYTHONPATH; its output
    goes to a log file in ``tmp_path`` (read it with ``output_of``)."""
    path = tmp_path / f'{tool}-{len(os.listdir(tmp_path))}.log'
    with open(path, 'w') as log:
        proc = subprocess.Popen(
            [sys.executable, osp.join(ROOT, 'tools', f'{tool}.py'), *args],
            env=dict(tool_env(tmp_path), **(env_extra or {})),
            cwd=str(tmp_path), stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = path
    return proc


def output_of(proc: subprocess.Popen) -> str:
    with open(proc.log_path) as f:
        return f.read()
