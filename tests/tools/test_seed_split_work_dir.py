"""Base-to-novel seed splits get their own work dirs in our tools."""
import argparse
import os
import os.path as osp
import subprocess
import sys

from mmengine.config import Config

from maxclip_mmaction.cli.launch import add_seed_split, work_dir_given

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NAME = 'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n'
CONFIG = osp.join(ROOT, 'configs', 'synthmotion', f'{NAME}.py')


def run_tool(tool, cwd, *args):
    run = subprocess.run(
        [sys.executable, osp.join(ROOT, 'tools', f'{tool}.py'), *args],
        cwd=str(cwd), capture_output=True, text=True, timeout=600,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return run


def options(data_root, train_list):
    opts = [f'train_dataloader.dataset.ann_file={train_list}',
            'train_cfg.max_epochs=1', 'train_cfg.val_interval=100']
    for loader in ('train', 'val', 'test'):
        opts += [f'{loader}_dataloader.dataset.data_root={data_root}',
                 f'{loader}_dataloader.num_workers=0']
    return opts


def test_train_and_test_use_the_seed_splits_work_dir(tmp_path,
                                                     synthmotion_root):
    """Training on fs_base_s2_train.txt writes work_dirs/<config>_s2;
    testing its checkpoint lands there too, even under a config whose
    training list is split 1 (the checkpoint records its split)."""
    per_class = {}  # one video a class: one iteration of 8
    for line in open(osp.join(synthmotion_root, 'annotations',
                              'train_base.txt')):
        per_class.setdefault(line.split()[-1], line)
    for split in (1, 2):
        (tmp_path / f'fs_base_s{split}_train.txt').write_text(
            ''.join(per_class.values()))
    s2 = str(tmp_path / 'fs_base_s2_train.txt')
    run_tool('train', tmp_path, CONFIG, '--cfg-options',
             *options(synthmotion_root, s2))
    work = tmp_path / 'work_dirs' / f'{NAME}_s2'
    ckpt = work / 'epoch_1.pth'
    assert ckpt.is_file()
    assert not (tmp_path / 'work_dirs' / NAME).exists()

    s1 = str(tmp_path / 'fs_base_s1_train.txt')
    run_tool('test', tmp_path, CONFIG, str(ckpt), '--cfg-options',
             *options(synthmotion_root, s1))
    runs = [d for d in os.listdir(work) if osp.isdir(work / d)]
    assert any(osp.isfile(work / d / f'{d}.json') for d in runs), runs
    assert sorted(os.listdir(tmp_path / 'work_dirs')) == [f'{NAME}_s2']


def args(work_dir=None, cfg_options=None):
    return argparse.Namespace(work_dir=work_dir, cfg_options=cfg_options)


def test_a_work_dir_the_user_chose_is_kept():
    cfg = Config(dict(model=dict()))
    assert not work_dir_given(cfg, args())
    assert work_dir_given(cfg, args(work_dir='w'))
    assert work_dir_given(cfg, args(cfg_options={'work_dir': 'w'}))
    assert work_dir_given(Config(dict(work_dir='w')), args())


def test_add_seed_split_suffixes_the_default_work_dir():
    cfg = Config(dict(work_dir='./work_dirs/maxclip_ssv2_b2n/'))
    add_seed_split(cfg, None)  # not a base-to-novel split: unchanged
    assert cfg.work_dir == './work_dirs/maxclip_ssv2_b2n/'
    add_seed_split(cfg, '3')
    assert cfg.work_dir == './work_dirs/maxclip_ssv2_b2n_s3'
