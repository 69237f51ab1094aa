import json
import os

import pytest

from maxclip_mmaction.analysis import read_run, read_scalars, split_curves

PNG_MAGIC = b'\x89PNG'


def write_scalars(path):
    lines = [
        dict(lr=1e-4 * i, loss=2.0 / i, epoch=1, iter=i, step=i)
        for i in range(1, 5)
    ]
    lines += [
        dict(
            **{
                'b2n/hm': 0.3,
                'b2n/base/top1': 0.4,
                'b2n/novel/top1': 0.24,
                'b2n/base/top5': 0.9
            },
            step=1),
        dict(
            **{
                'b2n/hm': 0.35,
                'b2n/base/top1': 0.5,
                'b2n/novel/top1': 0.27,
                'b2n/base/top5': 0.9
            },
            step=2)
    ]
    path.parent.mkdir(parents=True)
    path.write_text(''.join(json.dumps(x) + '\n' for x in lines))


def test_split_curves_finds_prefixed_metrics(tmp_path):
    path = tmp_path / 'vis_data' / 'scalars.json'
    write_scalars(path)
    curves = split_curves(read_scalars(str(path)))
    assert set(curves) == {
        'loss', 'lr', 'b2n/hm', 'b2n/base/top1', 'b2n/novel/top1'
    }
    assert curves['loss'] == ([1, 2, 3, 4], [2.0, 1.0, 2 / 3, 0.5])
    assert curves['b2n/hm'] == ([1, 2], [0.3, 0.35])


def test_read_scalars_names_a_bad_line(tmp_path):
    path = tmp_path / 'scalars.json'
    path.write_text('{"loss": 1, "step": 1}\nnot json\n')
    with pytest.raises(ValueError, match='scalars.json:2'):
        read_scalars(str(path))


def test_plot_logs_tool_writes_png_from_a_work_dir(tmp_path, load_tool):
    work_a, work_b = tmp_path / 'a', tmp_path / 'b'
    write_scalars(work_a / '20260101_000000' / 'vis_data' / 'scalars.json')
    write_scalars(work_b / 'vis_data' / 'scalars.json')
    out = tmp_path / 'plots' / 'curves.png'
    load_tool('plot_logs').main([
        str(work_a),
        str(work_b), '--labels', 'mean', 'max', '--out',
        str(out)
    ])
    assert out.read_bytes()[:4] == PNG_MAGIC
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        load_tool('plot_logs').main([str(tmp_path / 'plots')])


def write_lines(path, lines):
    path.parent.mkdir(parents=True)
    path.write_text(''.join(json.dumps(x) + '\n' for x in lines))


def train_lines(steps, loss):
    return [dict(loss=loss, lr=0.1, step=i, iter=i) for i in steps]


def test_a_resumed_run_is_read_from_every_timestamp_folder(tmp_path):
    work = tmp_path / 'work'
    # Killed at step 6 after the epoch-1 validation; resumed from the
    # epoch-1 checkpoint (step 4), it logged steps 5.. again.
    write_lines(work / '20260101_090000' / 'vis_data' / 'scalars.json',
                train_lines(range(1, 7), 1.0) + [dict(hm=0.1, step=1)])
    write_lines(work / '20260101_100000' / 'vis_data' / 'scalars.json',
                train_lines(range(5, 9), 2.0) + [dict(hm=0.2, step=2)])
    # a test run in the same work dir logs no scalars
    write_lines(work / '20260101_110000' / 'vis_data' / 'scalars.json', [])
    # modification times must not decide the order: names do
    os.utime(work / '20260101_090000' / 'vis_data' / 'scalars.json',
             (2e9, 2e9))
    files, records = read_run(str(work))
    assert [f.split(os.sep)[-3] for f in files] == [
        '20260101_090000', '20260101_100000', '20260101_110000']
    curves = split_curves(records)
    assert curves['loss'] == (list(range(1, 9)), [1.0] * 4 + [2.0] * 4)
    assert curves['hm'] == ([1, 2], [0.1, 0.2])


def test_plot_logs_tool_reads_all_runs_of_a_work_dir(tmp_path, load_tool,
                                                     capsys):
    work = tmp_path / 'work'
    write_lines(work / '20260101_090000' / 'vis_data' / 'scalars.json',
                train_lines(range(1, 4), 1.0))
    write_lines(work / '20260101_100000' / 'vis_data' / 'scalars.json',
                train_lines(range(4, 6), 2.0))
    load_tool('plot_logs').main([str(work), '--out',
                                 str(tmp_path / 'c.png')])
    printed = capsys.readouterr().out
    assert '20260101_090000' in printed and '20260101_100000' in printed
