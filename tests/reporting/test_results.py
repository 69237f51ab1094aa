import json
import os.path as osp
import subprocess
import sys

import pytest

from maxclip_mmaction.reporting import (load_run_metrics, summarize_b2n,
                                    summarize_fewshot)
from maxclip_mmaction.reporting.results import harmonic_mean

TOOL = osp.join(osp.dirname(__file__), '..', '..', 'tools',
                'report_results.py')


def test_hm_is_of_the_seed_averages_not_the_average_hm():
    runs = [{'acc/base/top1': 0.8, 'acc/novel/top1': 0.2},
            {'acc/base/top1': 0.6, 'acc/novel/top1': 0.6}]
    s = summarize_b2n(runs)
    assert s['base'] == pytest.approx(70) and s['novel'] == pytest.approx(40)
    assert s['hm'] == pytest.approx(2 * 70 * 40 / 110)
    per_seed = (harmonic_mean([80, 20]) + harmonic_mean([60, 60])) / 2
    assert s['hm'] != pytest.approx(per_seed)


def test_fewshot_table_averages_each_k():
    s = summarize_fewshot({2: [{'acc/top1': .5}, {'acc/top1': .7}],
                           4: [{'acc/top1': .9}]})
    assert s == {2: pytest.approx(60), 4: pytest.approx(90)}


def write_run(root, name, metrics):
    d = root / name / '20260101_000000'
    d.mkdir(parents=True)
    (d / '20260101_000000.json').write_text(json.dumps(metrics))
    return str(root / name)


def test_cli_prints_paper_style_row(tmp_path):
    dirs = [write_run(tmp_path, f's{i}', {'hm': 0, 'base/top1': b,
                                          'novel/top1': n})
            for i, (b, n) in enumerate([(.18, .13), (.20, .11)])]
    assert load_run_metrics(dirs[0])['base/top1'] == .18
    out = subprocess.run([sys.executable, TOOL, 'b2n', *dirs],
                         capture_output=True, text=True, check=True)
    assert '| 2 | 19.0 ± 1.0 | 12.0 ± 1.0 | 14.7 |' in out.stdout


def test_a_training_work_dir_gives_its_last_validation(tmp_path):
    vis = tmp_path / 's2' / '20260101_000000' / 'vis_data'
    vis.mkdir(parents=True)
    lines = [dict(lr=1e-6, loss=0.5, top1_acc=0.9, step=10),  # training
             dict(hm=0.1, **{'base/top1': 0.1, 'novel/top1': 0.1}, step=5),
             dict(lr=1e-7, loss=0.4, top1_acc=1.0, step=20),
             dict(hm=0.3, **{'base/top1': 0.4, 'novel/top1': 0.24}, step=11)]
    (vis / 'scalars.json').write_text(
        ''.join(json.dumps(x) + '\n' for x in lines) + '{"hm": 0.')  # cut
    assert load_run_metrics(str(tmp_path / 's2'))['base/top1'] == 0.4
    # a later tools/test.py run in the same work dir wins
    write_run(tmp_path, 's2_test', {'base/top1': 0.5, 'novel/top1': 0.5})
    test_dir = tmp_path / 's2_test' / '20260101_000000'
    newer = tmp_path / 's2' / '20260102_000000'
    test_dir.rename(newer)
    (newer / '20260101_000000.json').rename(newer / '20260102_000000.json')
    assert load_run_metrics(str(tmp_path / 's2'))['base/top1'] == 0.5


def test_missing_results_name_the_work_dir(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        load_run_metrics(str(tmp_path))


def report(*args):
    """tools/report_results.py run in this process (a subprocess spends
    ~4 s importing torch and MMAction2): returncode, stdout, stderr."""
    import contextlib
    import importlib.util
    import io
    from types import SimpleNamespace
    spec = importlib.util.spec_from_file_location('report_results', TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out, err, code = io.StringIO(), io.StringIO(), 0
    argv, sys.argv = sys.argv, [TOOL, *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            tool.main()
    except SystemExit as stop:
        code = stop.code or 0
    except Exception as exc:  # what the CLI would print before exiting 1
        code = 1
        err.write(f'{type(exc).__name__}: {exc}')
    finally:
        sys.argv = argv
    return SimpleNamespace(returncode=code, stdout=out.getvalue(),
                           stderr=err.getvalue())


def test_accuracies_are_fractions_never_guessed_percent():
    # 0.8 % is 0.008 in the metrics; 0.8 is 80 %
    s = summarize_b2n([{'base/top1': 0.8, 'novel/top1': 0.008}])
    assert s['base'] == pytest.approx(80) and s['novel'] == \
        pytest.approx(0.8)
    with pytest.raises(ValueError, match=r'run 0: novel/top1=12\.8 is not '
                       r'a fraction in \[0, 1\]'):
        summarize_b2n([{'base/top1': 0.168, 'novel/top1': 12.8}])
    with pytest.raises(ValueError, match='K=4: top1=66.7 is not'):
        summarize_fewshot({4: [{'acc/top1': 66.7}]})
    with pytest.raises(KeyError, match='run 0 lacks novel/top1'):
        summarize_b2n([{'base/top1': 0.1}])


def seed_run(root, name, split, base, novel, failed=None):
    metrics = {'hm': 0, 'base/top1': base, 'novel/top1': novel}
    if failed is not None:
        metrics['failed'] = failed
    work = write_run(root, name, metrics)
    vis = root / name / '20260101_000000' / 'vis_data'
    vis.mkdir()
    (vis / 'config.py').write_text(
        f"seed_split = '{split}'\ntrain_dataloader = dict(dataset=dict("
        f"ann_file='s/fs_base_s{split}_train.txt'))\n")
    return work


def test_b2n_lists_failed_videos_and_warns_about_repeated_seeds(tmp_path):
    dirs = [seed_run(tmp_path, 's1', 1, .18, .13, failed=0),
            seed_run(tmp_path, 's2', 2, .20, .11, failed=3)]
    out = report('b2n', *dirs)
    assert out.returncode == 0, out.stderr
    assert 'failed videos (scored as wrong), per run: 0, 3' in out.stdout
    assert 'warning: ' not in out.stderr
    # seed 2's run copied as if it were seed 3: same split, same numbers
    dirs.append(seed_run(tmp_path, 's3', 2, .20, .11, failed=3))
    out = report('b2n', *dirs)
    assert out.returncode == 0
    assert 'both trained on seed split 2' in out.stderr
    assert 'report identical metrics' in out.stderr
    # the same folder twice is an error
    out = report('b2n', dirs[0], dirs[1], dirs[0] + '/')
    assert out.returncode != 0
    assert f'{dirs[0]}/ is given twice (also as {dirs[0]})' in out.stderr


def test_seed_split_of_a_run_comes_from_its_saved_config(tmp_path):
    from maxclip_mmaction.reporting import load_run
    run = load_run(seed_run(tmp_path, 'a', 3, .1, .1))
    assert run['seed_split'] == '3'
    assert run['run_dir'] == str(tmp_path / 'a' / '20260101_000000')
    assert load_run(write_run(tmp_path, 'b', {'acc/top1': .5})
                    )['seed_split'] is None


def test_zeroshot_mean_and_std_over_splits(tmp_path):
    dirs = [write_run(tmp_path, f'split{i}',
                      {'acc/top1': t1, 'acc/top5': t5, 'acc/failed': 0})
            for i, (t1, t5) in enumerate([(.40, .70), (.50, .80),
                                          (.45, .90)], start=1)]
    out = report('zeroshot', *dirs, '--json', str(tmp_path / 's.json'))
    assert out.returncode == 0, out.stderr
    assert '| splits | top-1 | top-5 |' in out.stdout
    assert '| 3 | 45.0 ± 4.1 | 80.0 ± 8.2 |' in out.stdout
    assert 'per run: 0, 0, 0' in out.stdout
    s = json.loads((tmp_path / 's.json').read_text())
    assert s['top1'] == pytest.approx(45) and s['splits'] == 3


def test_a_failed_count_written_as_null_is_unknown_not_zero(tmp_path):
    """A run whose JSON holds ``"failed": null`` (mmengine dropped an
    integer count) shows '?' for it."""
    dirs = [seed_run(tmp_path, 's1', 1, .5, .5, failed=None),
            seed_run(tmp_path, 's2', 2, .4, .4, failed=2.0)]
    first = tmp_path / 's1' / '20260101_000000' / '20260101_000000.json'
    metrics = json.loads(first.read_text())
    first.write_text(json.dumps(dict(metrics, failed=None)))
    out = report('b2n', *dirs)
    assert out.returncode == 0, out.stderr
    assert 'per run: ?, 2' in out.stdout
    out = report('b2n', dirs[0])
    assert out.returncode == 0, out.stderr
    assert 'failed videos' not in out.stdout
