"""One failing rank ends a 2-process CPU run promptly, non-zero."""
import os.path as osp
import socket
import subprocess
import sys
import time

from reliability_utils import ROOT, tool_env, write_config, write_list

FAULT_MODULE = '''
import os
import time

from mmaction.registry import HOOKS
from mmengine.dist import get_rank
from mmengine.hooks import Hook


@HOOKS.register_module(force=True)
class RaiseOnRankHook(Hook):
    """Rank 1 raises at its second iteration, while rank 0 goes on into
    the gradient all-reduce of that iteration and waits for it."""

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if get_rank() == 1 and runner.iter == 1:
            with open(os.environ['FAULT_STAMP'], 'w') as f:
                f.write(repr(time.time()))
            raise RuntimeError('injected fault on rank 1')
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_one_rank_raising_ends_the_job_within_a_minute(
        tmp_path, video_root):
    root, good = video_root
    ann = write_list(tmp_path / 'train.txt', good)
    (tmp_path / 'fault_hook.py').write_text(FAULT_MODULE)
    # The default 30-minute collective timeout: a prompt exit must come
    # from torchrun tearing the job down, not from gloo timing out.
    extra = ("custom_hooks = custom_hooks + [dict(type='RaiseOnRankHook')]\n"
             "env_cfg = dict(dist_cfg=dict(backend='gloo', timeout=1800))\n")
    cfg = write_config(tmp_path, ann, root, max_epochs=2, extra=extra,
                       imports=('robust_ds', 'fault_hook'))
    stamp = tmp_path / 'fault_time'
    env = dict(tool_env(tmp_path), PORT=str(free_port()),
               PYTHON=sys.executable, FAULT_STAMP=str(stamp))
    proc = subprocess.run(
        ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), cfg, '2',
         '--work-dir', str(tmp_path / 'work')],
        env=env, cwd=str(tmp_path), capture_output=True, text=True,
        timeout=600)
    end = time.time()
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert stamp.exists(), out  # it failed where the fault was injected
    assert 'injected fault on rank 1' in out
    fault_to_exit = end - float(stamp.read_text())
    print(f'fault to exit: {fault_to_exit:.1f} s')
    assert fault_to_exit < 60, out
