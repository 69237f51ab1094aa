"""MMAction2's own tools/train.py runs our config via custom_imports."""
import os
import os.path as osp
import subprocess
import sys

import mmaction
import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs/synthmotion/'
                  'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py')
STOCK_TRAIN = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools',
                       'train.py')


def test_stock_train_py_trains_a_synthmotion_config(tmp_path,
                                                    synthmotion_root):
    options = ['train_cfg.max_epochs=1', 'train_cfg.val_interval=100']
    for loader in ('train', 'val', 'test'):
        options += [
            f'{loader}_dataloader.dataset.data_root={synthmotion_root}',
            f'{loader}_dataloader.num_workers=0'
        ]
    # Run from a neutral folder: nothing of ours is on the path except the
    # installed package that custom_imports names.
    run = subprocess.run(
        [sys.executable, STOCK_TRAIN, CONFIG, '--work-dir',
         str(tmp_path / 'work'), '--cfg-options', *options],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=600,
        env=dict(os.environ, OMP_NUM_THREADS='2'))
    assert run.returncode == 0, run.stderr[-3000:]
    assert osp.isfile(tmp_path / 'work' / 'epoch_1.pth')


def test_mim_train_and_test_run_a_synthmotion_config(tmp_path,
                                                     synthmotion_root):
    """``mim train/test mmaction`` (openmim is not a dependency: skipped
    where it is not installed; it calls the stock tools above)."""
    pytest.importorskip('mim')
    mim = osp.join(osp.dirname(sys.executable), 'mim')
    data = [f'{loader}_dataloader.dataset.data_root={synthmotion_root}'
            for loader in ('train', 'val', 'test')]
    work = str(tmp_path / 'work')
    for args in (['train', 'mmaction', CONFIG, '--cfg-options',
                  'train_cfg.max_epochs=1', *data],
                 ['test', 'mmaction', CONFIG, '--checkpoint',
                  osp.join(work, 'epoch_1.pth'), '--cfg-options', *data]):
        run = subprocess.run([mim, *args, '--work-dir', work],
                             cwd=str(tmp_path), capture_output=True,
                             text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert 'hm: ' in run.stdout and 'Testing finished successfully' in \
        run.stdout
