"""Preflight lists every label file and video folder a run reads that is
not there, with its config key, before the Runner builds anything."""
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.config import Config

from maxclip_mmaction.cli.data_check import check_data_present, missing_data

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
B2N = osp.join(ROOT, 'configs', 'b2n', 'sthv2',
               'maxclip_vit-base-p16-s1_8xb4-32x1x1-11e_sthv2-b2n-rgb.py')
CUSTOM = osp.join(ROOT, 'configs', 'custom', 'tiny',
                  'maxclip_tiny-s1_1xb4-8x1x1-5e_custom-rgb.py')


@pytest.fixture
def custom_data(tmp_path, monkeypatch):
    """configs/custom/'s data layout, complete, under a fresh cwd."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / 'data' / 'custom'
    (root / 'videos').mkdir(parents=True)
    for name in ('classes', 'train', 'val', 'test'):
        (root / f'{name}.txt').write_text('x\n')
    return root


def test_a_b2n_config_without_its_data_names_every_key(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(B2N)
    with pytest.raises(FileNotFoundError) as err:
        check_data_present(cfg, 'train')
    msg = str(err.value)
    assert msg.startswith(f'{B2N}: the data this train run reads')
    splits = 'data/sthv2/splits/datasets_splits/base2novel_splits/ssv2_splits'
    labels = 'data/sthv2/splits/labels'
    for line in (
            f'train_dataloader.dataset.ann_file = {splits}/'
            f'fs_base_s1_train.txt: no such file',
            f'train_dataloader.dataset.class_names = {labels}/'
            f'ssv2_174_base_labels.csv: no such file',
            'train_dataloader.dataset.data_prefix.video = '
            'data/sthv2/videos: no such folder',
            f'val_dataloader.dataset.groups[0].ann_file = {splits}/'
            f'base_val.txt: no such file',
            f'val_dataloader.dataset.groups[1].class_names = {labels}/'
            f'ssv2_174_novel_labels.csv: no such file'):
        assert f'\n  {line}' in msg
    # a path read twice is listed once, under its first key
    assert msg.count('ssv2_174_base_labels.csv') == 1


def test_each_mode_checks_the_sets_it_reads(custom_data):
    cfg = Config.fromfile(CUSTOM)
    check_data_present(cfg, 'train')
    check_data_present(cfg, 'test')
    (custom_data / 'test.txt').unlink()
    check_data_present(cfg, 'train')
    with pytest.raises(FileNotFoundError,
                       match=r'test_dataloader\.dataset\.ann_file = '
                       r'data/custom/test\.txt: no such file'):
        check_data_present(cfg, 'test')
    (custom_data / 'val.txt').unlink()
    assert missing_data(cfg, ['train_dataloader']) == []
    with pytest.raises(FileNotFoundError, match='val_dataloader'):
        check_data_present(cfg, 'train')
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    check_data_present(cfg, 'train')  # a run that does not validate


def test_paths_resolve_against_data_root(custom_data):
    cfg = Config.fromfile(CUSTOM)
    (custom_data / 'videos').rmdir()
    assert missing_data(cfg, ['train_dataloader']) == [
        'train_dataloader.dataset.data_prefix.video = '
        'data/custom/videos: no such folder'
    ]


def test_remote_paths_are_left_to_their_backend(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(CUSTOM)
    cfg.train_dataloader.dataset.data_root = 's3://bucket/custom'
    assert missing_data(cfg, ['train_dataloader']) == []
    cfg.train_dataloader.dataset.data_root = 'data/custom'
    cfg.train_dataloader.dataset.backend_args = dict(backend='petrel')
    assert missing_data(cfg, ['train_dataloader']) == []


def test_train_tool_stops_before_the_runner(tmp_path):
    run = subprocess.run(
        [sys.executable,
         osp.join(ROOT, 'tools', 'train.py'), CUSTOM],
        capture_output=True,
        text=True,
        cwd=tmp_path)
    assert run.returncode != 0
    assert 'train_dataloader.dataset.ann_file = data/custom/train.txt: ' \
        'no such file' in run.stderr
    assert 'System environment' not in run.stdout + run.stderr
