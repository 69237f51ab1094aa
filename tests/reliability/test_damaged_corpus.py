"""No video can kill a run: a training and a test over a damaged corpus.

The corpus: SynthMotion-style clips in each container (H.264 MP4, VP9
WebM, MPEG-4 AVI) cut at 25, 50 and 75 %, plus a zero-byte file, a text
file named ``.avi``, the first KiB of an AVI and random bytes. The cut
AVIs segfault decord when opened from a buffer, as MMAction2's
``DecordInit`` opens them; the shipped ``SafeDecordInit`` must turn every
one of them into a listed, counted failure, with a dataloader worker in
the way (``num_workers=1``), so a native crash would end the run.
"""
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import Runner
from reliability_utils import NAMES, pipeline, write_config, write_list

from maxclip_mmaction.testing import write_video

CUTS = (25, 50, 75)


def make_corpus(root):
    """(good list lines, damaged list lines) in ``root``."""
    root.mkdir()
    good, damaged = [], []
    for i, ext in enumerate(['mp4', 'webm', 'avi'] * 3):
        name = f'good{i}.{ext}'
        write_video(str(root / name), num_frames=8, seed=i)
        good.append(f'{name} {i % len(NAMES)}')
    for ext in ('mp4', 'webm', 'avi'):
        data = (root /
                f'good{("mp4", "webm", "avi").index(ext)}.{ext}').read_bytes()
        for cut in CUTS:
            (root / f'cut{cut}.{ext}').write_bytes(data[:len(data) * cut //
                                                        100])
    avi = (root / 'good2.avi').read_bytes()
    (root / 'zero.mp4').write_bytes(b'')
    (root / 'text.avi').write_text('<html>404 Not Found</html>\n' * 20)
    (root / 'header.avi').write_bytes(avi[:1024])
    (root / 'random.webm').write_bytes(
        np.random.default_rng(0).bytes(16 * 1024))
    names = [f'cut{c}.{e}' for e in ('mp4', 'webm', 'avi') for c in CUTS]
    names += ['zero.mp4', 'text.avi', 'header.avi', 'random.webm']
    damaged = [f'{n} {k % len(NAMES)}' for k, n in enumerate(names)]
    return good, damaged


def rows(work_dir):
    with open(osp.join(work_dir, 'bad_videos.txt')) as f:
        lines = f.read().splitlines()[1:]
    return {
        (r[0], r[1], osp.basename(r[3])): int(r[2])
        for r in (ln.split('\t') for ln in lines)
    }


def test_training_and_test_survive_and_list_every_damaged_file(tmp_path):
    root = tmp_path / 'videos'
    good, damaged = make_corpus(root)
    ann = write_list(tmp_path / 'all.txt', good + damaged)
    cfg = Config.fromfile(
        write_config(tmp_path, ann, str(root), max_epochs=1, imports=()))
    dataset = cfg.train_dataloader.dataset
    # 13 of 22 videos are damaged: many failures in a row are expected.
    dataset.update(type='OpenVocabVideoDataset', max_consecutive_failures=1000)
    cfg.train_dataloader.num_workers = 1  # a crash would kill the worker
    cfg.test_dataloader = dict(
        batch_size=4,
        num_workers=1,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            dataset, test_mode=True, pipeline=pipeline(test_mode=True)))
    cfg.test_evaluator = dict(type='FailureAwareAccMetric')
    cfg.test_cfg = dict(type='TestLoop')
    cfg.default_hooks.checkpoint.interval = 100
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    names = {line.split()[0] for line in damaged}
    listed = rows(cfg.work_dir)
    assert {n for (m, k, n) in listed if m == 'train' and k == 'failed'} \
        == names
    assert {n: c for (m, k, n), c in listed.items() if m == 'test'} == \
        {n: 1 for n in names}
    assert metrics['acc/failed'] == len(damaged)
    assert metrics['acc/top1'] <= len(good) / (len(good) + len(damaged))
    errors = {
        n: e
        for (m, k, n), e in errors_of(cfg.work_dir).items() if m == 'test'
    }
    for cut in CUTS:
        assert 'truncated' in errors[f'cut{cut}.avi']
        assert 'truncated' in errors[f'cut{cut}.webm']


def errors_of(work_dir):
    with open(osp.join(work_dir, 'bad_videos.txt')) as f:
        lines = f.read().splitlines()[1:]
    return {
        (r[0], r[1], osp.basename(r[3])): r[4]
        for r in (ln.split('\t') for ln in lines)
    }


def test_the_corpus_holds_a_file_that_crashes_the_buffer_reader(tmp_path):
    """What the corpus guards against: MMAction2's ``DecordInit`` (decord
    from an ``io.BytesIO``) dies by a signal on a cut AVI, while opening
    the same file by path does not. If this fails, decord changed: the
    benchmark's decoder table needs a new run."""
    root = tmp_path / 'videos'
    make_corpus(root)
    code = ('import io, sys, decord; src = sys.argv[1]; '
            'src = io.BytesIO(open(src, "rb").read()) '
            'if sys.argv[2] == "buffer" else src\n'
            'try:\n    decord.VideoReader(src, num_threads=1)\n'
            'except Exception:\n    pass\n')
    path = str(root / 'cut50.avi')
    by = {
        how:
        subprocess.run([sys.executable, '-c', code, path, how],
                       capture_output=True).returncode
        for how in ('buffer', 'path')
    }
    assert by['buffer'] < 0 and by['path'] == 0


def test_declared_size_matches_whole_files_and_exceeds_cut_ones(tmp_path):
    from maxclip_mmaction.datasets.container_size import declared_size
    for i, ext in enumerate(('mp4', 'webm', 'avi')):
        path = tmp_path / f'v.{ext}'
        write_video(str(path), num_frames=8, seed=i)
        data = path.read_bytes()
        size, _ = declared_size(str(path))
        assert size == len(data)
        for cut in (10, 60, 99):
            part = tmp_path / f'cut{cut}.{ext}'
            part.write_bytes(data[:len(data) * cut // 100])
            assert declared_size(str(part))[0] > len(data) * cut // 100
    (tmp_path / 'text.mp4').write_text('hello')
    assert declared_size(str(tmp_path / 'text.mp4')) is None


def test_whole_files_with_a_tail_or_no_pad_byte_are_not_cut(tmp_path):
    from maxclip_mmaction.datasets.safe_decord_init import check_complete
    for i, ext in enumerate(('mp4', 'webm', 'avi')):
        path = tmp_path / f'v.{ext}'
        write_video(str(path), num_frames=8, seed=i)
        data = path.read_bytes()
        # junk after the last chunk (its first bytes read as a huge size)
        tail = tmp_path / f'tail.{ext}'
        tail.write_bytes(data + b'\xff\xff\xff\xff\x00junk' * 3)
        check_complete(str(tail), tail.name)
        cut = tmp_path / f'cut.{ext}'
        cut.write_bytes(data[:len(data) // 2])
        with pytest.raises(RuntimeError, match='truncated'):
            check_complete(str(cut), cut.name)
    # an odd-sized RIFF chunk written without its pad byte
    riff = tmp_path / 'odd.avi'
    riff.write_bytes(b'RIFF' + (5).to_bytes(4, 'little') + b'AVI x')
    check_complete(str(riff), riff.name)


def test_isolated_first_open_turns_a_crash_into_an_error(
        tmp_path, monkeypatch):
    from maxclip_mmaction.datasets import safe_decord_init
    path = tmp_path / 'v.avi'
    write_video(str(path), num_frames=8)
    init = safe_decord_init.SafeDecordInit(isolate_first_open=True)
    assert init(dict(filename=str(path)))['total_frames'] == 8
    # A decoder that dies by a signal, standing in for a native crash.
    monkeypatch.setattr(
        safe_decord_init, '_PROBE', 'import os, signal\n'
        'os.kill(os.getpid(), signal.SIGSEGV)\n')
    init(dict(filename=str(path)))  # opened once: not probed again
    other = tmp_path / 'w.avi'
    other.write_bytes(path.read_bytes())
    with pytest.raises(RuntimeError) as info:
        init(dict(filename=str(other)))
    assert str(info.value) == f'{other}: decoder crashed (signal 11)'
