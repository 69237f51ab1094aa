"""Issue 7's case as a user meets it: the SynthMotion config as shipped,
its training list plus a corrupt, an empty, a missing and a 2-frame video."""
import glob
import os.path as osp
import re

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from maxclip_mmaction.testing import write_video

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'synthmotion',
                  'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py')


def config_with_bad_videos(root, tmp_path):
    bad = tmp_path / 'bad'
    bad.mkdir()
    (bad / 'corrupt.mp4').write_bytes(np.random.default_rng(0).bytes(4096))
    (bad / 'empty.mp4').write_bytes(b'')
    write_video(str(bad / 'short.mp4'), num_frames=2)
    # missing.mp4 is listed but never written
    lines = open(osp.join(root, 'annotations', 'train_base.txt')).read()
    ann = tmp_path / 'train_with_bad.txt'
    ann.write_text(lines + ''.join(
        f'{bad / name} {label}\n' for label, name in enumerate(
            ['corrupt.mp4', 'empty.mp4', 'missing.mp4', 'short.mp4'])))
    cfg = Config.fromfile(CONFIG)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].dataset.data_root = root
    cfg.train_dataloader.dataset.ann_file = str(ann)
    cfg.train_dataloader.num_workers = 2  # failures inside workers
    cfg.train_cfg.update(max_epochs=2, val_interval=100)
    cfg.default_hooks.checkpoint.interval = 100
    cfg.work_dir = str(tmp_path / 'work')
    cfg.experiment_name = tmp_path.name  # own logger: see reliability_utils
    return cfg


def test_training_completes_and_lists_all_four(synthmotion_root, tmp_path):
    cfg = config_with_bad_videos(synthmotion_root, tmp_path)
    Runner.from_cfg(cfg).train()
    with open(osp.join(cfg.work_dir, 'bad_videos.txt')) as f:
        rows = [ln.split('\t') for ln in f.read().splitlines()[1:]]
    assert {(r[0], r[1], osp.basename(r[3])) for r in rows} == {
        ('train', 'failed', 'corrupt.mp4'), ('train', 'failed', 'empty.mp4'),
        ('train', 'failed', 'missing.mp4'), ('train', 'short', 'short.mp4')}
    log = open(glob.glob(osp.join(cfg.work_dir, '*', '*.log'))[0]).read()
    for epoch in (1, 2):
        failed, short = map(int, re.search(
            rf'Epoch {epoch}: (\d+) video loads failed \(replaced by other '
            rf'samples\), (\d+) short videos', log).groups())
        assert failed >= 3 and short >= 1


def test_strict_mode_raises_on_the_first(synthmotion_root, tmp_path):
    cfg = config_with_bad_videos(synthmotion_root, tmp_path)
    cfg.train_dataloader.dataset.strict_decode = True
    cfg.train_dataloader.num_workers = 0
    with pytest.raises(RuntimeError,
                       match=r'(corrupt|empty|missing)\.mp4.*strict_decode'):
        Runner.from_cfg(cfg).train()
