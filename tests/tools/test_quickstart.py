"""README command 1, for real: generate, train, test, print Base/Novel/HM."""
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# Seconds for the whole quickstart on an idle 2-core machine, with a wide
# margin for slower CPUs; scaled by the load and MAXCLIP_TEST_TIME_SCALE.
BASE_LIMIT = 900


def time_limit():
    """(seconds, why): BASE_LIMIT x MAXCLIP_TEST_TIME_SCALE x the number
    of runnable processes per CPU when the test starts (at least 1)."""
    scale = float(os.environ.get('MAXCLIP_TEST_TIME_SCALE', '1'))
    cpus = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else 0.
    busy = max(1., load / cpus)
    why = (f'{BASE_LIMIT} s x MAXCLIP_TEST_TIME_SCALE={scale:g} x load '
           f'factor {busy:.1f} (1-minute load average {load:.1f} on '
           f'{cpus} CPUs)')
    return BASE_LIMIT * scale * busy, why


def run_with_limit(cmd, env):
    """Run ``cmd`` in its own process group; on timeout kill the group
    (the trainer too, not only bash) and fail saying how to allow more."""
    limit, why = time_limit()
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(
            f'tools/quickstart.sh did not finish within {limit:.0f} s '
            f'({why}). The machine is slower or busier than the limit '
            f'allows, which says nothing about the code: rerun with e.g. '
            f'MAXCLIP_TEST_TIME_SCALE=3 for three times the time. Last '
            f'output:\n{out[-1500:]}\n{err[-1500:]}',
            pytrace=False)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_quickstart_prints_base_novel_hm_from_a_real_run(tmp_path):
    env = dict(
        os.environ,
        DATA_ROOT=str(tmp_path / 'data'),
        WORK_DIR=str(tmp_path / 'work'),
        # setup_env.sh uses the Python that already has the plugin
        PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    run = run_with_limit(['bash', osp.join(ROOT, 'tools/quickstart.sh')], env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    row = re.search(
        r'^\| 1 \| ([\d.]+) ± [\d.]+ \| ([\d.]+) ± [\d.]+ \| '
        r'([\d.]+) \|$',
        run.stdout,
        flags=re.M)
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
    assert any('Epoch(train) [24]' in log
               for log in logs), [d.name for d in runs]
    assert any('Epoch(test)' in log for log in logs)
    assert any((d / 'vis_data' / 'scalars.json').is_file() for d in runs)
    assert any((d / f'{d.name}.json').is_file() for d in runs)


def test_timeout_says_why_and_how_to_allow_more(tmp_path, monkeypatch):
    monkeypatch.setenv('MAXCLIP_TEST_TIME_SCALE', '0.001')
    pid_file = tmp_path / 'child.pid'
    script = f'sleep 120 & echo $! > {pid_file}; echo started; wait'
    with pytest.raises(pytest.fail.Exception) as err:
        run_with_limit(['bash', '-c', script], dict(os.environ))
    msg = str(err.value)
    assert 'did not finish within' in msg and 'load average' in msg
    assert 'MAXCLIP_TEST_TIME_SCALE=3' in msg and 'started' in msg
    # the whole group is killed: the sleep is gone or a zombie whose
    # parent (bash) died before reaping it, once the kernel has delivered
    # the SIGKILL (a loaded machine may not have run it yet)
    status = f'/proc/{int(pid_file.read_text())}/status'
    deadline = time.monotonic() + 30
    while osp.exists(status) and time.monotonic() < deadline:
        try:
            if 'State:\tZ' in open(status).read():
                break
        except FileNotFoundError:  # reaped between the two calls
            break
        time.sleep(0.05)
    else:
        assert not osp.exists(status), open(status).read()
