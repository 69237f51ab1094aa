"""README command 1, for real: generate, train, test, print Base/Novel/HM."""
import os
import os.path as osp
import re
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_quickstart_prints_base_novel_hm_from_a_real_run(tmp_path):
    env = dict(os.environ, DATA_ROOT=str(tmp_path / 'data'),
               WORK_DIR=str(tmp_path / 'work'),
               # setup_env.sh uses the Python that already has the plugin
               PATH=osp.dirname(sys.executable) + os.pathsep +
               os.environ['PATH'])
    run = subprocess.run(['bash', osp.join(ROOT, 'tools/quickstart.sh')],
                         env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    row = re.search(r'^\| 1 \| ([\d.]+) ± [\d.]+ \| ([\d.]+) ± [\d.]+ \| '
                    r'([\d.]+) \|$', run.stdout, flags=re.M)
    assert row, run.stdout[-2000:]
    base, novel, hm = map(float, row.groups())
    assert base > 2 * 100 / 8  # 8 base classes: chance is 12.5 %
    assert 0 <= novel <= 100 and hm > 0
    check_work_dir_kept(tmp_path / 'work')


def check_work_dir_kept(work):
    """The checkpoint and the logs of both runs stay in the work dir."""
    from maxclip_mmaction.fileio import safe_load
    ckpt = open(work / 'last_checkpoint').read().strip()
    assert osp.isfile(ckpt) and ckpt.endswith('epoch_24.pth')
    saved = safe_load(ckpt)
    assert any(k.startswith('backbone.') for k in saved['state_dict'])
    assert len(saved['meta']['dataset_meta']['classes']) == 8  # base
    assert saved['meta']['epoch'] == 24
    runs = sorted(d for d in work.iterdir() if d.is_dir())
    logs = [(d / f'{d.name}.log').read_text() for d in runs
            if (d / f'{d.name}.log').is_file()]
    # the training run (log + scalars.json) and the test run (log + json)
    assert any('Epoch(train) [24]' in log for log in logs), [
        d.name for d in runs]
    assert any('Epoch(test)' in log for log in logs)
    assert any((d / 'vis_data' / 'scalars.json').is_file() for d in runs)
    assert any((d / f'{d.name}.json').is_file() for d in runs)
