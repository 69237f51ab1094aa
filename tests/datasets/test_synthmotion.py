import os
import os.path as osp
from collections import Counter

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

from maxclip_mmaction.datasets import (BaseNovelVideoDataset,
                                       OpenVocabVideoDataset, make_synthmotion)
from maxclip_mmaction.datasets import synthmotion as sm

SMALL = dict(train_per_class=16, val_per_class=4, num_frames=20, size=64)


@pytest.fixture
def synthmotion(synthmotion_root):
    """conftest's session-wide SynthMotion (16 train / 4 val a class)."""
    return synthmotion_root


def _ann(root, name):
    return osp.join(root, 'annotations', name)


def test_layout_and_lists(synthmotion):
    names = open(_ann(synthmotion, 'classnames.txt')).read().split('\n')[:-1]
    base = OpenVocabVideoDataset(
        _ann(synthmotion, 'train_base.txt'), [],
        _ann(synthmotion, 'base_classnames.txt'))
    novel = OpenVocabVideoDataset(
        _ann(synthmotion, 'val_novel.txt'), [],
        _ann(synthmotion, 'novel_classnames.txt'))
    assert list(base.metainfo['classes'] + novel.metainfo['classes']) == \
        names
    assert len(base) == 16 * len(sm.BASE_CLASSES)
    assert len(novel) == 4 * len(sm.NOVEL_CLASSES)
    for k in sm.FEW_SHOTS:
        ds = OpenVocabVideoDataset(
            _ann(synthmotion, f'train_fewshot_{k}.txt'), [],
            _ann(synthmotion, 'classnames.txt'))
        labels = [ds.get_data_info(i)['label'] for i in range(len(ds))]
        assert Counter(labels) == {c: k for c in range(len(names))}
    exts = Counter(
        osp.splitext(f)[1]
        for f in os.listdir(osp.join(synthmotion, 'videos')))
    assert set(exts) == {'.mp4', '.webm', '.avi'}
    assert exts['.mp4'] > exts['.webm'] + exts['.avi']


def test_novel_words_all_seen_in_base():
    base_words = {
        w
        for spec in sm.BASE_CLASSES
        for w in sm.class_name(spec).split()
    }
    novel = [sm.class_name(s) for s in sm.NOVEL_CLASSES]
    assert not set(novel) & {sm.class_name(s) for s in sm.BASE_CLASSES}
    for name in novel:
        assert set(name.split()) <= base_words, name


def test_decodes_through_mmaction_decord_pipeline(synthmotion):
    ds = BaseNovelVideoDataset(
        groups=[
            dict(
                name='base',
                ann_file=_ann(synthmotion, 'train_base.txt'),
                class_names=_ann(synthmotion, 'base_classnames.txt')),
            dict(
                name='novel',
                ann_file=_ann(synthmotion, 'val_novel.txt'),
                class_names=_ann(synthmotion, 'novel_classnames.txt'))
        ],
        pipeline=[
            dict(type='DecordInit'),
            dict(
                type='SampleFrames',
                clip_len=8,
                frame_interval=2,
                num_clips=1,
                test_mode=True),
            dict(type='DecordDecode')
        ],
        data_prefix=dict(video=synthmotion))
    seen = set()
    for i in range(len(ds)):
        ext = osp.splitext(ds.get_data_info(i)['filename'])[1]
        if ext in seen and i % 7:
            continue
        seen.add(ext)
        out = ds[i]
        assert out['total_frames'] == 20
        assert np.stack(out['imgs']).shape == (8, 64, 64, 3)
    assert seen == {'.mp4', '.webm', '.avi'}


def test_single_frame_does_not_give_the_motion():
    # x, y and radius of one frame follow the same law under every motion;
    # only their change over the frames differs
    stats = {}
    for motion in range(len(sm.MOTIONS)):
        frames, spread = [], []
        for i in range(400):
            rng = np.random.default_rng([1, motion, i])
            traj = np.stack(sm._trajectory(motion, 20, 64, rng))  # (3, T)
            frames.append(traj[:, i % 20])
            spread.append(np.ptp(traj, axis=1))
        stats[motion] = (np.mean(frames, 0), np.std(frames,
                                                    0), np.mean(spread, 0))
    for motion in stats:
        assert np.allclose(stats[motion][0], stats[0][0], atol=1.0)
        assert np.allclose(stats[motion][1], stats[0][1], atol=1.0)
    moving = {m: stats[m][2] > 5 for m in stats}  # which of x, y, r move
    assert [tuple(v) for v in moving.values()] == [(True, False, False),
                                                   (False, True, False),
                                                   (True, True, False),
                                                   (False, False, True),
                                                   (True, True, False)]


def test_deterministic_and_skips_when_complete(synthmotion, tmp_path):
    spec = sm.BASE_CLASSES[3]
    one = sm.render_video(spec, 20, 64, np.random.default_rng([0, 1, 2]))
    two = sm.render_video(spec, 20, 64, np.random.default_rng([0, 1, 2]))
    assert np.array_equal(one, two)
    video = osp.join(synthmotion, 'videos', 'train_00_000.mp4')
    mtime = os.path.getmtime(video)
    assert make_synthmotion(synthmotion, seed=0, **SMALL)['skipped']
    assert os.path.getmtime(video) == mtime
    assert not make_synthmotion(
        str(tmp_path / 'x'),
        seed=0,
        **dict(
            SMALL, train_per_class=16, val_per_class=1, num_frames=4,
            size=16))['skipped']
    lines = open(_ann(synthmotion, 'train_fewshot_2.txt')).read()
    again = str(tmp_path / 'again')
    make_synthmotion(again, seed=0, **dict(SMALL, size=16, num_frames=4))
    assert open(_ann(again, 'train_fewshot_2.txt')).read() == lines


def test_bad_arguments_raise(tmp_path):
    with pytest.raises(ValueError, match='train_per_class must be >= 16'):
        make_synthmotion(str(tmp_path), train_per_class=8)
    with pytest.raises(ValueError, match='size must be even'):
        make_synthmotion(str(tmp_path), size=33)


def test_transforms_registry_has_decord():
    assert TRANSFORMS.get('DecordInit') is not None
