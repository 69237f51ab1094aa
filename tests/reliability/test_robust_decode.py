"""Unreadable videos: replaced in training, counted wrong in testing."""
import glob
import json
import logging
import os.path as osp
import re

import numpy as np
import pytest
import torch
from mmaction.registry import DATASETS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.runner import Runner
from reliability_utils import (BAD, DATASET_MODULE, NAMES, pipeline,
                               write_config, write_list)

from maxclip_mmaction.evaluation.metrics import FailureAwareAccMetric

exec(DATASET_MODULE)  # registers RobustOVDataset in this process


class RecordList(logging.Handler):
    """Keeps every log record it is handed."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    @property
    def messages(self):
        return [r.getMessage() for r in self.records]


def build(root, lines, tmp_path, **kwargs):
    ann = write_list(tmp_path / 'list.txt', lines)
    return DATASETS.build(dict(
        type='RobustOVDataset', ann_file=ann, class_names=NAMES,
        data_prefix=dict(video=root), pipeline=pipeline(),
        check_class_count=False, **kwargs))


def records(folder):
    out = []
    for path in glob.glob(osp.join(folder, '*.jsonl')):
        with open(path) as f:
            out.extend(json.loads(line) for line in f)
    return out


def test_training_sample_is_replaced_and_recorded(video_root, tmp_path):
    root, good = video_root
    rec_dir = tmp_path / 'records'
    rec_dir.mkdir()
    ds = build(root, good + [f'{b} 0' for b in BAD], tmp_path,
               bad_video_dir=str(rec_dir))
    for idx in range(len(good), len(ds)):
        data = ds[idx]
        assert data['inputs'].shape == (1, 3, 4, 32, 32)
    got = {(r['kind'], osp.basename(r['path'])) for r in records(rec_dir)}
    assert got == {('failed', 'corrupt.mp4'), ('failed', 'empty.mp4'),
                   ('failed', 'missing.mp4'), ('failed', 'truncated.mp4'),
                   ('short', 'short.mp4')}
    stages = {r['stage'] for r in records(rec_dir) if r['kind'] == 'failed'}
    assert stages == {'SafeDecordInit'}


def test_short_video_is_sampled_with_repetition_not_replaced(
        video_root, tmp_path):
    root, good = video_root
    ds = build(root, ['short.mp4 1'], tmp_path, test_mode=True,
               bad_video_dir=str(tmp_path))
    data = ds[0]
    assert 'decode_failed' not in data['data_samples']
    frames = data['inputs'][0, :, :, 0, 0]  # (C, T) of one pixel
    assert len(torch.unique(frames[0])) == 2  # 4 frames from 2


def test_strict_mode_raises_with_the_path(video_root, tmp_path):
    root, good = video_root
    ds = build(root, good + ['corrupt.mp4 0'], tmp_path, strict_decode=True)
    with pytest.raises(RuntimeError, match='corrupt.mp4.*SafeDecordInit'):
        ds[len(good)]


def test_test_sample_is_substituted_and_marked(video_root, tmp_path):
    root, good = video_root
    ds = build(root, good + ['missing.mp4 2'], tmp_path, test_mode=True,
               bad_video_dir=str(tmp_path))
    sample = ds[len(good)]['data_samples']
    assert sample.decode_failed is True
    assert sample.failed_path.endswith('missing.mp4')
    assert sample.gt_label.item() == 2


def test_many_failures_in_a_row_mean_a_wrong_pipeline(video_root,
                                                      tmp_path):
    root, _ = video_root
    ds = build(root, [f'nothere{i}.mp4 {i % 3}' for i in range(6)],
               tmp_path, max_consecutive_failures=3,
               bad_video_dir=str(tmp_path))
    with pytest.raises(RuntimeError, match='3 videos in a row'):
        ds[0]


def test_metric_counts_failed_videos_as_wrong():
    metric = FailureAwareAccMetric(metric_options=dict(
        top_k_accuracy=dict(topk=(1, ))))
    samples = []
    for i, failed in enumerate([False, False, True, True]):
        s = ActionDataSample().set_gt_label(i % 2)
        s.set_pred_score(torch.eye(3)[i % 2])  # every prediction right
        if failed:
            s.set_metainfo(dict(decode_failed=True))
        samples.append(s.to_dict())
    metric.process(None, samples)
    out = metric.compute_metrics(metric.results)
    assert out['failed'] == 2
    assert out['top1'] == pytest.approx(0.5)
    assert out['mean1'] == pytest.approx(0.5)


def test_training_run_completes_and_lists_bad_videos(video_root,
                                                     tmp_path):
    root, good = video_root
    ann = write_list(tmp_path / 'train.txt',
                     good + [f'{b} {i % 3}' for i, b in enumerate(BAD)])
    cfg = Config.fromfile(
        write_config(tmp_path, ann, root, max_epochs=2, imports=()))
    # Worker processes report through their own record files.
    cfg.train_dataloader.update(num_workers=2, persistent_workers=True)
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    # mmengine's handlers drop a WARNING whose text they printed before;
    # this one sees every record the hook emits.
    emitted = RecordList()
    runner.logger.addHandler(emitted)
    try:
        runner.train()
    finally:
        runner.logger.removeHandler(emitted)
    with open(osp.join(cfg.work_dir, 'bad_videos.txt')) as f:
        rows = [ln.split('\t') for ln in f.read().splitlines()[1:]]
    assert {(r[0], r[1], osp.basename(r[3])) for r in rows} == {
        ('train', 'failed', 'corrupt.mp4'), ('train', 'failed', 'empty.mp4'),
        ('train', 'failed', 'missing.mp4'),
        ('train', 'failed', 'truncated.mp4'), ('train', 'short', 'short.mp4')}
    # each at least once per epoch (a refetch may land on another one)
    assert all(int(r[2]) >= 2 for r in rows)
    log = open(glob.glob(osp.join(cfg.work_dir, '*', '*.log'))[0]).read()
    for name in BAD[:-1]:
        assert sum(m.startswith(f'Unreadable video {osp.join(root, name)} ')
                   for m in emitted.messages) == 1
    # training replaces bad videos: no metric is expected to count them
    assert not [r for r in emitted.records if r.levelno >= logging.ERROR]
    for epoch in (1, 2):
        failed, short = re.search(
            rf'Epoch {epoch}: (\d+) video loads failed \(replaced by other '
            rf'samples\), (\d+) short videos', log).groups()
        assert int(failed) >= 4 and int(short) >= 1


def test_strict_training_run_raises_on_the_first(video_root, tmp_path):
    root, good = video_root
    ann = write_list(tmp_path / 'train.txt', good + ['corrupt.mp4 0'])
    cfg = Config.fromfile(
        write_config(tmp_path, ann, root, max_epochs=1, imports=()))
    cfg.train_dataloader.dataset.strict_decode = True
    cfg.work_dir = str(tmp_path / 'work')
    with pytest.raises(RuntimeError, match='corrupt.mp4.*strict_decode'):
        Runner.from_cfg(cfg).train()


def eval_config(tmp_path, ann, root, metric):
    cfg = Config.fromfile(write_config(tmp_path, ann, root, imports=()))
    cfg.test_dataloader = dict(
        batch_size=4, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(cfg.train_dataloader.dataset, test_mode=True,
                     pipeline=pipeline(test_mode=True)))
    cfg.test_evaluator = dict(type=metric)
    cfg.test_cfg = dict(type='TestLoop')
    cfg.work_dir = str(tmp_path / 'work')
    return cfg


def test_test_run_counts_failures_as_wrong(video_root, tmp_path):
    root, good = video_root
    ann = write_list(tmp_path / 'test.txt',
                     good + ['corrupt.mp4 0', 'missing.mp4 1', 'empty.mp4 2'])
    cfg = eval_config(tmp_path, ann, root, 'FailureAwareAccMetric')
    metrics = Runner.from_cfg(cfg).test()
    assert metrics['acc/failed'] == 3
    assert np.isfinite(metrics['acc/top1'])
    # 3 of 12 are wrong whatever the model says
    assert metrics['acc/top1'] <= 9 / 12 + 1e-6
    log = open(glob.glob(osp.join(cfg.work_dir, '*', '*.log'))[0]).read()
    assert 'Test: 3 video loads failed (counted as wrong)' in log
    assert 'no metric counts them as wrong' not in log


def test_every_validation_reports_its_failures(video_root, tmp_path):
    root, good = video_root
    ann = write_list(tmp_path / 'val.txt', good + ['missing.mp4 1'])
    cfg = eval_config(tmp_path, ann, root, 'FailureAwareAccMetric')
    cfg.val_dataloader, cfg.val_evaluator = (cfg.test_dataloader,
                                             cfg.test_evaluator)
    cfg.val_cfg = dict(type='ValLoop')
    cfg.train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=2,
                         val_interval=1)
    Runner.from_cfg(cfg).train()
    log = open(glob.glob(osp.join(cfg.work_dir, '*', '*.log'))[0]).read()
    for epoch in (1, 2):
        assert (f'Validation after epoch {epoch}: 1 video loads failed '
                f'(counted as wrong)') in log
    trained = bad_video_rows(cfg.work_dir)
    assert trained[('val', 'failed', 'missing.mp4')] == 2
    assert trained[('train', 'failed', 'missing.mp4')] >= 2
    # tools/test.py runs in the same work dir: the list keeps both modes.
    cfg.experiment_name = f'{tmp_path.name}-test'
    Runner.from_cfg(cfg).test()
    assert bad_video_rows(cfg.work_dir) == {
        **trained, ('test', 'failed', 'missing.mp4'): 1}


def bad_video_rows(work_dir):
    """{(mode, kind, file name): times} of ``work_dir/bad_videos.txt``."""
    with open(osp.join(work_dir, 'bad_videos.txt')) as f:
        lines = f.read().splitlines()
    assert lines[0] == '# mode\tkind\ttimes\tpath\tstage: error'
    rows = [ln.split('\t') for ln in lines[1:]]
    return {(r[0], r[1], osp.basename(r[3])): int(r[2]) for r in rows}


def test_a_metric_blind_to_failures_is_reported(video_root, tmp_path):
    root, good = video_root
    ann = write_list(tmp_path / 'test.txt', good + ['corrupt.mp4 0'])
    cfg = eval_config(tmp_path, ann, root, 'AccMetric')
    Runner.from_cfg(cfg).test()
    log = open(glob.glob(osp.join(cfg.work_dir, '*', '*.log'))[0]).read()
    assert 'Test: 1 videos failed to decode, but no metric counts' in log


def test_mixin_composes_with_base_novel_dataset(video_root, tmp_path):
    from maxclip_mmaction.datasets import BaseNovelVideoDataset
    from maxclip_mmaction.datasets.robust import RobustDecodeMixin
    cls = BaseNovelVideoDataset
    if not issubclass(cls, RobustDecodeMixin):
        cls = type('RobustBaseNovel', (RobustDecodeMixin, cls), {})
    root, good = video_root
    groups = [dict(name='base', class_names=NAMES[:2],
                   check_class_count=False,
                   ann_file=write_list(tmp_path / 'b.txt', good[:2])),
              dict(name='novel', class_names=NAMES[2:],
                   ann_file=write_list(tmp_path / 'n.txt', ['empty.mp4 0']))]
    ds = cls(groups=groups, pipeline=pipeline(test_mode=True),
             data_prefix=dict(video=root), strict_decode=False,
             bad_video_dir=str(tmp_path))
    sample = ds[2]['data_samples']
    assert sample.decode_failed is True and sample.gt_label.item() == 2
    ds.strict_decode = True
    with pytest.raises(RuntimeError, match='empty.mp4'):
        ds[2]


def test_an_earlier_list_is_read_back_with_its_modes(tmp_path):
    from maxclip_mmaction.engine.hooks.bad_video_hook import read_list
    path = tmp_path / 'bad_videos.txt'
    path.write_text('# kind\ttimes\tpath\tstage: error\n'
                    'failed\t3\t/v/a.mp4\tDecordInit: empty file\n'
                    'test\tshort\t1\t/v/b.mp4\tsampler: 2 frames: x\n'
                    'garbage line\n')
    warnings = []
    logger = type('L', (), {'warning': lambda self, m: warnings.append(m)})
    rows = read_list(str(path), logger())
    assert rows == {
        ('unknown', 'failed', '/v/a.mp4'): dict(
            count=3, stage='DecordInit', error='empty file'),
        ('test', 'short', '/v/b.mp4'): dict(
            count=1, stage='sampler', error='2 frames: x')}
    assert warnings == [f"{path}, line 4: not a bad-video row, dropped: "
                        f"'garbage line'"]


def test_a_buffered_decord_pipeline_is_warned_about(video_root, tmp_path):
    from mmengine.logging import MMLogger
    root, good = video_root
    emitted = RecordList()
    logger = MMLogger.get_current_instance()
    logger.addHandler(emitted)
    try:
        ann = write_list(tmp_path / 'list.txt', good)
        for init in ('DecordInit', 'SafeDecordInit'):
            DATASETS.build(dict(
                type='RobustOVDataset', ann_file=ann, class_names=NAMES,
                data_prefix=dict(video=root), check_class_count=False,
                pipeline=pipeline(init=init)))
    finally:
        logger.removeHandler(emitted)
    warned = [m for m in emitted.messages
              if 'opens videos with DecordInit' in m]
    assert len(warned) == 1 and "dict(type='SafeDecordInit')" in warned[0]
