import os
import os.path as osp
from collections import Counter

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

from maxclip_mmaction.datasets import (BaseNovelVideoDataset,
                                       OpenVocabVideoDataset)
from maxclip_mmaction import synthmotion as sm
from maxclip_mmaction.synthmotion import make_synthmotion

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


@pytest.mark.parametrize('group', ['base', 'novel', 'all'])
def test_no_colour_and_shape_gives_the_class(group):
    # every group that is evaluated (base-to-novel: base, novel; few-shot:
    # all 12) shows each colour+shape with two motions or more, so a
    # one-frame rule (it sees colour and shape, not motion) must guess
    specs = {
        'base': sm.BASE_CLASSES,
        'novel': sm.NOVEL_CLASSES,
        'all': sm.BASE_CLASSES + sm.NOVEL_CLASSES
    }[group]
    motions = {}
    for colour, shape, motion in specs:
        motions.setdefault((colour, shape), set()).add(motion)
    assert min(len(m) for m in motions.values()) >= 2, motions
    balanced = [label for label in range(len(specs)) for _ in range(4)]
    ceiling = sm.single_frame_accuracy(balanced, specs)
    assert ceiling == {'base': 3 / 8, 'novel': 2 / 4, 'all': 3 / 12}[group]


def test_single_frame_accuracy_counts_the_commonest_class():
    specs = (('red', 'circle', 0), ('red', 'circle', 1), ('blue', 'square', 0))
    # red circle: class 1 is commonest (3 of 4); blue square: 2 of 2
    assert sm.single_frame_accuracy([0, 1, 1, 1, 2, 2], specs) == 5 / 6


def test_novel_triples_are_new_and_words_seen_in_base():
    assert len(set(sm.BASE_CLASSES + sm.NOVEL_CLASSES)) == 12
    for colour, shape, motion in sm.NOVEL_CLASSES:
        assert any(b[0] == colour for b in sm.BASE_CLASSES)
        assert any(b[1] == shape for b in sm.BASE_CLASSES)
        assert any(b[2] == motion for b in sm.BASE_CLASSES)


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


def test_same_seed_same_bytes_and_pixels(synthmotion, tmp_path):
    # x264 used to write different bits from the same pixels in some runs
    # (decoded frames up to 45 levels apart), the WebM muxer random UIDs
    import decord
    again = str(tmp_path / 'again')
    make_synthmotion(again, seed=0, **SMALL)
    videos = sorted(os.listdir(osp.join(synthmotion, 'videos')))
    assert sorted(os.listdir(osp.join(again, 'videos'))) == videos

    def frames(root, name):
        reader = decord.VideoReader(osp.join(root, 'videos', name))
        return reader.get_batch(list(range(len(reader)))).asnumpy()

    def read(root, name):
        with open(osp.join(root, 'videos', name), 'rb') as f:
            return f.read()

    differ = [v for v in videos if read(synthmotion, v) != read(again, v)]
    # decoded pixels of every file that differs, and of one per container
    check = set(differ) | {
        next(v for v in videos if v.endswith(e))
        for e in ('.mp4', '.webm', '.avi')
    }
    pixels = {
        v: int(
            np.abs(frames(synthmotion, v).astype(int) -
                   frames(again, v)).max())
        for v in sorted(check)
    }
    assert not differ and not any(pixels.values()), (
        f'{len(differ)} of {len(videos)} videos differ in bytes; largest '
        f'decoded-pixel difference per video: {pixels}')


def test_total_size_is_tens_of_mb_at_most(synthmotion):
    # the default (20 train + 6 val a class) scaled from the 16 + 4 here
    total = sum(
        osp.getsize(osp.join(d, f)) for d, _, files in os.walk(synthmotion)
        for f in files)
    default = total * (20 + 6) / (16 + 4)
    assert default < 30e6, f'{default / 1e6:.1f} MB'
