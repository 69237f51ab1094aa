"""tools/dist_train.sh on CPU: 2 gloo processes, then --resume."""
import glob
import hashlib
import inspect
import os
import os.path as osp
import socket
import subprocess
import textwrap

import torch

from maxclip_mmaction.fileio import safe_load

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs/synthmotion/'
                  'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py')


def weights_digest(state):
    """sha256 of the float tensors of the backbone and the head (run by
    the probe on each rank and here on rank 0's checkpoint)."""
    digest = hashlib.sha256()
    for name, value in sorted(state.items()):
        if name.startswith(('backbone.', 'cls_head.')) and isinstance(
                value, torch.Tensor) and value.is_floating_point():
            digest.update(name.encode())
            digest.update(value.detach().float().contiguous().numpy()
                          .tobytes())
    return digest.hexdigest()


PROBE = 'import hashlib\nimport torch\n\n' + inspect.getsource(
    weights_digest) + '''
import os
import torch.distributed as dist
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmaction.registry import HOOKS


@HOOKS.register_module()
class RankProbeHook(Hook):
    """Each rank records its iterations and a digest of its weights
    before and after training (test only)."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.iters = 0
        self.start = None

    def _digest(self, runner):
        model = runner.model.module if is_model_wrapper(runner.model) \\
            else runner.model
        return weights_digest(model.state_dict())

    def before_train(self, runner):
        self.start = self._digest(runner)

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.iters += 1

    def after_train_epoch(self, runner):
        rank = dist.get_rank() if dist.is_initialized() else 0
        path = os.path.join(self.out_dir, f'rank{rank}.txt')
        with open(path, 'a') as f:
            world = dist.get_world_size()
            f.write(f'{runner.epoch + 1} {self.iters} {world} '
                    f'{self.start} {self._digest(runner)}\\n')
'''


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def write_config(tmp_path, data_root, epochs):
    (tmp_path / 'rank_probe.py').write_text(PROBE)
    cfg = tmp_path / f'dist_{epochs}e.py'
    cfg.write_text(textwrap.dedent(f'''
        _base_ = [{CONFIG!r}]
        custom_imports = dict(imports=['maxclip_mmaction', 'rank_probe'],
                              allow_failed_imports=False)
        default_hooks = dict(
            rank_probe=dict(type='RankProbeHook', out_dir={str(tmp_path)!r}),
            logger=dict(interval=1))
        train_cfg = dict(max_epochs={epochs}, val_interval=100)
        train_dataloader = dict(num_workers=0, dataset=dict(
            data_root={data_root!r}))
        val_dataloader = dict(num_workers=0, dataset=dict(
            data_root={data_root!r}))
        test_dataloader = val_dataloader
    '''))
    return str(cfg)


def dist_train(tmp_path, config, *args):
    env = dict(os.environ, PORT=str(free_port()), OMP_NUM_THREADS='1',
               PYTHONPATH=f'{tmp_path}:{os.environ.get("PYTHONPATH", "")}',
               PYTHON=os.environ.get('PYTHON', 'python'))
    env['PYTHON'] = __import__('sys').executable
    return subprocess.run(
        ['bash', osp.join(ROOT, 'tools/dist_train.sh'), config, '2',
         '--work-dir', str(tmp_path / 'work'), *args],
        env=env, capture_output=True, text=True, timeout=600)


def tail(run):
    """Where a failed run stopped: the log's end and the crash's end."""
    return run.stdout[-2000:] + '\n--- stderr ---\n' + run.stderr[-3000:]


def test_two_cpu_ranks_train_then_resume(tmp_path, synthmotion_root):
    run = dist_train(tmp_path, write_config(tmp_path, synthmotion_root, 1))
    assert run.returncode == 0, tail(run)
    ranks = {}
    for r in (0, 1):
        epoch, iters, world, start, end = (
            tmp_path / f'rank{r}.txt').read_text().split()
        ranks[r] = (int(epoch), int(iters), int(world), start, end)
    # both ranks ran the epoch, each over its half of the 128 base videos
    assert ranks[0][:3] == ranks[1][:3] == (1, 8, 2)
    # DDP: both ranks start from rank 0's weights and step with the same
    # averaged gradients, so they end with bit-identical weights, which
    # training changed, and rank 0 saved exactly those
    assert ranks[0][3:] == ranks[1][3:]
    start, end = ranks[0][3:]
    assert start != end
    ckpt = tmp_path / 'work' / 'epoch_1.pth'
    assert osp.isfile(ckpt)
    assert weights_digest(safe_load(str(ckpt))['state_dict']) == end

    run = dist_train(tmp_path, write_config(tmp_path, synthmotion_root, 2),
                     '--resume')
    assert run.returncode == 0, tail(run)
    logs = ''.join(open(p).read() for p in sorted(glob.glob(
        str(tmp_path / 'work' / '*' / '*.log'))))
    assert 'resumed epoch: 1' in logs
    assert 'Epoch(train) [2]' in logs and 'Epoch(train) [1]' not in \
        logs.split('resumed epoch: 1')[1]
    assert osp.isfile(tmp_path / 'work' / 'epoch_2.pth')
