import json
import os.path as osp
import subprocess
import sys

import pytest

from maxclip_mmaction.utils import (load_run_metrics, summarize_b2n,
                                    summarize_fewshot)
from maxclip_mmaction.utils.results import harmonic_mean

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
