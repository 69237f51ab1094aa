"""tools/data scripts on tiny inputs in the official release formats."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import pytest

TOOLS = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'data')


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        name, osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path):
    with open(path) as f:
        return f.read().splitlines()


def test_sthv2(tmp_path):
    labels = {
        'Approaching something with your camera': '0',
        'Holding something next to something': '1'
    }
    (tmp_path / 'something-something-v2-labels.json').write_text(
        json.dumps(labels))
    train = [{
        'id': '78687',
        'label': 'holding a cup next to a bottle',
        'template': 'Holding [something] next to [something]',
        'placeholders': ['a cup', 'a bottle']
    }, {
        'id': '42326',
        'label': 'approaching a door with your camera',
        'template': 'Approaching [something] with your camera',
        'placeholders': ['a door']
    }]
    (tmp_path / 'something-something-v2-train.json').write_text(
        json.dumps(train))
    (tmp_path / 'something-something-v2-validation.json').write_text(
        json.dumps(train[:1]))
    out = tmp_path / 'out'
    counts = _tool('build_sthv2_annotations').build(str(tmp_path), str(out))
    assert counts == {'train': 2, 'val': 1}
    assert _read(out / 'sthv2_train_list_videos.txt') == [
        '78687.webm 1', '42326.webm 0'
    ]
    assert _read(out / 'label_map_sthv2.txt') == [
        'Approaching something with your camera',
        'Holding something next to something'
    ]


def test_sthv2_unknown_template_raises(tmp_path):
    (tmp_path / 'something-something-v2-labels.json').write_text('{"A": "0"}')
    (tmp_path / 'something-something-v2-train.json').write_text(
        json.dumps([{
            'id': '5',
            'template': 'B [something]'
        }]))
    with pytest.raises(
            ValueError, match="item 0 .id 5. has template "
            "'B something'"):
        _tool('build_sthv2_annotations').build(
            str(tmp_path), str(tmp_path / 'o'))


@pytest.mark.parametrize('idx,match', [('x1', "has id 'x1'"),
                                       ('\u00b2', 'has id'),
                                       ('2', r'ids must be 0\.\.1')])
def test_sthv2_bad_label_id_raises_naming_the_file(tmp_path, idx, match):
    (tmp_path / 'something-something-v2-labels.json').write_text(
        json.dumps({'Approaching something': '0', 'Holding something': idx}))
    with pytest.raises(ValueError, match=r'labels\.json.*' + match):
        _tool('build_sthv2_annotations').build(str(tmp_path),
                                               str(tmp_path / 'out'))


def test_ucf101_superscript_id_raises_naming_the_line(tmp_path):
    split = tmp_path / 'ucfTrainTestlist'
    split.mkdir()
    (split / 'classInd.txt').write_text('1 ApplyEyeMakeup\n\u00b2 Archery\n')
    with pytest.raises(ValueError, match=r'classInd\.txt:2: expected'):
        _tool('build_ucf101_annotations').read_class_ind(
            str(split / 'classInd.txt'))


def test_kinetics(tmp_path):
    header = 'label,youtube_id,time_start,time_end,split,is_cc\n'
    (tmp_path / 'train.csv').write_text(header + 'zumba,abc,10,20,train,0\n'
                                        '"air drumming",x-Y_z,0,10,train,0\n')
    (tmp_path / 'validate.csv').write_text(header +
                                           'zumba,q,7,17,validate,0\n')
    out = tmp_path / 'out'
    counts = _tool('build_kinetics_annotations').build(
        [str(tmp_path / 'train.csv'),
         str(tmp_path / 'validate.csv')], str(out))
    assert counts == {'train': 2, 'validate': 1}
    assert _read(out / 'label_map.txt') == ['air drumming', 'zumba']
    assert _read(out / 'kinetics_train_list_videos.txt') == [
        'train/abc_000010_000020.mp4 1', 'train/x-Y_z_000000_000010.mp4 0'
    ]
    assert _read(out / 'kinetics_validate_list_videos.txt') == [
        'validate/q_000007_000017.mp4 1'
    ]


def test_kinetics_bad_header_raises(tmp_path):
    (tmp_path / 'train.csv').write_text('name,id\nx,y\n')
    with pytest.raises(ValueError, match=r'train\.csv:1: header needs'):
        _tool('build_kinetics_annotations').build(
            [str(tmp_path / 'train.csv')], str(tmp_path))


def test_ucf101(tmp_path):
    (tmp_path / 'classInd.txt').write_text('1 ApplyEyeMakeup\n2 YoYo\n')
    (tmp_path / 'trainlist01.txt').write_text(
        'ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1\n'
        'YoYo/v_YoYo_g08_c02.avi 2\n')
    (tmp_path / 'testlist01.txt').write_text('YoYo/v_YoYo_g01_c01.avi\n')
    tool = _tool('build_ucf101_annotations')
    counts = tool.build(str(tmp_path), str(tmp_path / 'out'))
    assert counts == {
        'ucf101_train_split_1_videos.txt': 2,
        'ucf101_val_split_1_videos.txt': 1
    }
    assert _read(tmp_path / 'out' / 'ucf101_val_split_1_videos.txt') == [
        'YoYo/v_YoYo_g01_c01.avi 1'
    ]
    tool.build(str(tmp_path), str(tmp_path / 'flat'), flat=True)
    assert _read(tmp_path / 'flat' / 'ucf101_train_split_1_videos.txt') == [
        'v_ApplyEyeMakeup_g08_c01.avi 0', 'v_YoYo_g08_c02.avi 1'
    ]


def test_ucf101_unknown_folder_raises(tmp_path):
    (tmp_path / 'classInd.txt').write_text('1 YoYo\n')
    (tmp_path / 'testlist01.txt').write_text('Nope/v_x.avi\n')
    with pytest.raises(
            ValueError, match=r"testlist01\.txt:1: class folder "
            r"'Nope'"):
        _tool('build_ucf101_annotations').build(
            str(tmp_path), str(tmp_path / 'o'))


def test_hmdb51(tmp_path):
    for k in (1, 2):
        (tmp_path / f'brush_hair_test_split{k}.txt'
         ).write_text('a.avi 1 \nb.avi 2 \nc.avi 0 \n')
        (tmp_path / f'cartwheel_test_split{k}.txt').write_text('d.avi 2 \n')
    out = tmp_path / 'out'
    tool = _tool('build_hmdb51_annotations')
    counts = tool.build(str(tmp_path), str(out))
    assert counts['hmdb51_train_split_2_videos.txt'] == 1
    assert _read(out / 'hmdb51_val_split_1_videos.txt') == [
        'brush_hair/b.avi 0', 'cartwheel/d.avi 1'
    ]
    assert _read(out / 'label_map.txt') == ['brush_hair', 'cartwheel']
    tool.build(str(tmp_path), str(tmp_path / 'flat'), flat=True)
    assert _read(tmp_path / 'flat' /
                 'hmdb51_train_split_1_videos.txt') == ['a.avi 0']


def test_hmdb51_bad_tag_raises(tmp_path):
    (tmp_path / 'run_test_split1.txt').write_text('a.avi 7\n')
    with pytest.raises(ValueError, match=r"run_test_split1\.txt:1: expected"):
        _tool('build_hmdb51_annotations').build(
            str(tmp_path), str(tmp_path / 'o'))


def test_check_videos(tmp_path):
    (tmp_path / 'here.mp4').write_bytes(b'not a video')
    ann = tmp_path / 'list.txt'
    ann.write_text('here.mp4 0\ngone.mp4 1\n')
    tool = _tool('check_videos')
    total, bad = tool.check([str(ann)], str(tmp_path))
    assert total == 2
    assert [(b[1], osp.basename(b[2]), b[3])
            for b in bad] == [(2, 'gone.mp4', 'missing')]
    _, bad = tool.check([str(ann)], str(tmp_path), decode=True)
    assert [osp.basename(b[2]) for b in bad] == ['here.mp4', 'gone.mp4']
    assert bad[0][3] != 'missing'


def _check_videos(*args):
    return subprocess.run(
        [sys.executable,
         osp.join(TOOLS, 'check_videos.py'), *map(str, args)],
        capture_output=True,
        text=True)


def test_check_videos_cli_writes_clean_list(tmp_path):
    for name in ('a.mp4', 'my clip.mp4'):
        (tmp_path / name).write_bytes(b'x')
    ann = tmp_path / 'list.txt'
    ann.write_text('a.mp4 0\ngone.mp4 1\nmy clip.mp4 2\n\nsub/b.mp4 0\n')
    clean, report = tmp_path / 'clean.txt', tmp_path / 'report.txt'
    run = _check_videos(ann, '--prefix', tmp_path, '--out', report,
                        '--write-clean', clean)
    assert run.returncode == 1, run.stderr
    # lines kept as written (a path with a space too), bad ones dropped
    assert _read(clean) == ['a.mp4 0', 'my clip.mp4 2']
    assert _read(report) == [
        f'{ann}:2: {tmp_path / "gone.mp4"}: missing',
        f'{ann}:5: {tmp_path / "sub" / "b.mp4"}: missing'
    ]
    assert '2 of 4 videos missing' in run.stdout
    assert _check_videos(clean, '--prefix', tmp_path).returncode == 0


@pytest.mark.parametrize('args, message', [
    (['{ann}', '{ann}', '--write-clean', '{out}'], 'takes one LIST, got 2'),
    (['{tmp}/nope.txt'], 'video list not found: {tmp}/nope.txt'),
    (['{ann}', '--write-clean', '{ann}'], 'would overwrite the list'),
])
def test_check_videos_cli_bad_arguments_exit_2(tmp_path, args, message):
    ann = tmp_path / 'list.txt'
    ann.write_text('a.mp4 0\n')
    fill = dict(ann=ann, out=tmp_path / 'o.txt', tmp=tmp_path)
    run = _check_videos(*[a.format(**fill) for a in args])
    assert run.returncode == 2
    assert message.format(**fill) in run.stderr
    assert not (tmp_path / 'o.txt').exists()
