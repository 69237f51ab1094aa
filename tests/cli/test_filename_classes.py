"""Class names checked against the class that HMDB51 / UCF101 files embed."""
import importlib.util
import os.path as osp
import sys

import pytest

from maxclip_mmaction.datasets import load_class_names
from maxclip_mmaction.cli.filename_classes import (
    check_class_names, embedded_class, fixed_class_names,
    write_fixed_class_names)

REPO = osp.join(osp.dirname(__file__), '..', '..')
SHARED = osp.join(REPO, '..', 'shared', 'data', 'vifi_splits')
TOOL = osp.join(REPO, 'tools', 'data', 'check_class_names.py')
META = 'f_cm_np1_le_med_{}'  # HMDB51's 6 metadata fields


def _write(path, lines):
    path.write_text(''.join(f'{line}\n' for line in lines))
    return str(path)


def _csv(tmp_path, names, name='labels.csv'):
    rows = ['id,name'] + [f'{i},{n}' for i, n in enumerate(names)]
    return _write(tmp_path / name, rows)


def _hmdb(title, action, k=0):
    return f'{title}_{action}_{META.format(k)}.avi'


def _mismatched(checks):
    return [(c.label, c.listed, c.embedded, c.affected) for c in checks
            if c.mismatch]


def test_hmdb_longest_suffix_case_insensitive():
    names = ['kick', 'kick ball', 'sword', 'draw sword']
    assert embedded_class(_hmdb('The_Matrix_2', 'kick'), 'hmdb51',
                          names) == 'kick'
    assert embedded_class('kick_ball/' + _hmdb('Goal', 'Kick_Ball'), 'hmdb51',
                          names) == 'kick ball'
    assert embedded_class(_hmdb('Zorro', 'draw_sword'), 'hmdb51',
                          names) == 'draw sword'
    # a title ending in a class is not matched past a ``_`` boundary
    assert embedded_class(_hmdb('Xsword', 'jump'), 'hmdb51', names) is None
    assert embedded_class('a_b_c_d_e_f.avi', 'hmdb51', names) is None


def test_ucf_ignores_case_and_spaces():
    names = ['Apply Eye Makeup', 'HandStandPushups']
    assert embedded_class('v_ApplyEyeMakeup_g08_c01.avi', 'ucf101',
                          names) == 'Apply Eye Makeup'
    assert embedded_class('HandstandPushups/v_HandstandPushups_g01_c02.avi',
                          'ucf101', names) == 'HandStandPushups'
    assert embedded_class('ApplyEyeMakeup.avi', 'ucf101', names) is None
    with pytest.raises(ValueError, match='unknown dataset kind'):
        embedded_class('v_A_g01_c01.avi', 'ucf', names)


def test_hmdb_swapped_pair_detected_and_fixed(tmp_path):
    labels = _csv(tmp_path, ['jump', 'kick ball', 'kick'])
    videos = [f'{_hmdb("Hop", "jump", k)} 0' for k in range(2)]
    videos += [f'{_hmdb("Matrix", "kick", k)} 1' for k in range(3)]
    videos += [f'{_hmdb("Goal", "kick_ball", k)} 2' for k in range(2)]
    ann = _write(tmp_path / 'list.txt', videos)
    checks = check_class_names(ann, labels, 'hmdb51')
    assert _mismatched(checks) == [(1, 'kick ball', 'kick', 3),
                                   (2, 'kick', 'kick ball', 2)]
    assert [c.videos for c in checks] == [2, 3, 2]
    out = str(tmp_path / 'fixed.csv')
    assert write_fixed_class_names(ann, labels, 'hmdb51',
                                   out) == ['jump', 'kick', 'kick ball']
    assert (tmp_path / 'fixed.csv').read_text() == (
        'id,name\n0,jump\n1,kick\n2,kick ball\n')
    assert not _mismatched(check_class_names(ann, out, 'hmdb51'))


def test_ucf_swapped_pair_keeps_spelling(tmp_path):
    names = ['Apply Eye Makeup', 'ApplyLipstick', 'Archery']
    ann = _write(tmp_path / 'list.txt', [
        'v_ApplyLipstick_g01_c01.avi 0', 'v_ApplyEyeMakeup_g01_c01.avi 1',
        'v_Archery_g01_c01.avi 2'
    ])
    checks = check_class_names(ann, names, 'ucf101')
    assert [c.label for c in checks if c.mismatch] == [0, 1]
    assert fixed_class_names(ann, names, 'ucf101') == [
        'ApplyLipstick', 'Apply Eye Makeup', 'Archery'
    ]


def test_minority_file_reported_but_name_kept(tmp_path):
    labels = _csv(tmp_path, ['kick', 'run'])
    ann = _write(tmp_path / 'list.txt', [
        f'{_hmdb("A", "kick")} 0', f'{_hmdb("B", "kick")} 0',
        f'{_hmdb("C", "run")} 0', f'{_hmdb("D", "run")} 1'
    ])
    check = check_class_names(ann, labels, 'hmdb51')[0]
    assert (check.embedded, check.affected, check.mismatch) == ('kick', 1,
                                                                True)
    assert fixed_class_names(ann, labels, 'hmdb51') == ['kick', 'run']


def test_tie_raises_naming_list_and_id(tmp_path):
    labels = _csv(tmp_path, ['kick', 'kick ball'])
    ann = _write(tmp_path / 'list.txt', [
        f'{_hmdb("A", "kick")} 0', f'{_hmdb("B", "kick_ball")} 0',
        f'{_hmdb("C", "kick_ball")} 1'
    ])
    assert check_class_names(ann, labels, 'hmdb51')[0].ambiguous
    with pytest.raises(
            ValueError,
            match=r"list\.txt: id 0 \('kick' in .*labels\.csv\)"
            r': no majority'):
        fixed_class_names(ann, labels, 'hmdb51')


def test_unknown_class_raises_naming_file_and_line(tmp_path):
    ann = _write(tmp_path / 'list.txt',
                 ['v_Archery_g01_c01.avi 0', 'v_Surfing_g01_c01.avi 0'])
    check = check_class_names(ann, ['Archery'], 'ucf101')[0]
    assert check.counts == {'Archery': 1, None: 1}
    with pytest.raises(
            ValueError,
            match=r"list\.txt:2: 'v_Surfing_g01_c01\.avi' "
            r'\(label 0\) embeds no class'):
        fixed_class_names(ann, ['Archery'], 'ucf101')


def test_fix_that_duplicates_a_name_raises(tmp_path):
    # id 1 has no videos, keeps 'kick ball', which id 0 now needs too
    ann = _write(tmp_path / 'list.txt', [f'{_hmdb("A", "kick_ball")} 0'])
    with pytest.raises(ValueError, match='ids 0 and 1 would both be named'):
        fixed_class_names(ann, ['kick', 'kick ball'], 'hmdb51')


def _run_tool(monkeypatch, capsys, *argv):
    spec = importlib.util.spec_from_file_location('check_class_names', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, 'argv', [TOOL, *argv])
    with pytest.raises(SystemExit) as exit_info:
        module.main()
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_tool_exit_status_table_and_fix(tmp_path, monkeypatch, capsys):
    labels = _csv(tmp_path, ['kick ball', 'kick'])
    ann = _write(tmp_path / 'list.txt',
                 [f'{_hmdb("A", "kick")} 0', f'{_hmdb("B", "kick_ball")} 1'])
    out = str(tmp_path / 'fixed.csv')
    code, text, _ = _run_tool(monkeypatch, capsys, 'hmdb51', ann, labels,
                              '--write-fixed', out)
    assert code == 1
    lines = text.splitlines()
    assert lines[0].split() == [
        'id', 'listed', 'name', 'name', 'in', 'file', 'names', 'videos',
        'affected'
    ]
    assert lines[1].split() == ['0', 'kick', 'ball', 'kick', '1', 'of', '1']
    assert '2 of 2 ids' in lines[3] and '2 of 2 videos' in lines[3]
    assert lines[4] == f'wrote {out} (2 names changed)'
    code, text, _ = _run_tool(monkeypatch, capsys, 'hmdb51', ann, out)
    assert code == 0 and text.startswith('0 of 2 ids')
    code, _, err = _run_tool(monkeypatch, capsys, 'ucf101', ann, labels,
                             '--write-fixed', out)
    assert code == 2 and 'embeds no class' in err


# ViFi-CLIP's lists and the label CSV their labels index, with the swapped
# ids measured from the file names: (id, listed, file names say, videos).
_H, _B = 'datasets_splits/hmdb_splits', 'datasets_splits/base2novel_splits'
_FULL = ((20, 'kick ball', 'kick'), (21, 'kick', 'kick ball'),
         (44, 'sword exercise', 'sword'), (45, 'sword', 'sword exercise'))
_BASE = ((19, 'sword exercise', 'sword'), (20, 'sword', 'sword exercise'))
_NOVEL = ((20, 'kick ball', 'kick'), (21, 'kick', 'kick ball'))
SHARED_CASES = {
    f'{_H}/val1.txt': ('hmdb_51_labels.csv', _FULL, 30),
    f'{_B}/hmdb_splits/base_val.txt': ('hmdb_51_base_labels.csv', _BASE, 30),
    f'{_B}/hmdb_splits/novel_val.txt':
    ('hmdb_51_novel_labels.csv', _NOVEL, 30),
}
for _k in (2, 4, 8, 16):
    SHARED_CASES[f'{_H}/train1_few_shot_{_k}.txt'] = ('hmdb_51_labels.csv',
                                                      _FULL, _k)
    SHARED_CASES[f'datasets_splits/ucf_splits/train1_few_shot_{_k}.txt'] = (
        'ucf_101_labels.csv', (), _k)
for _s in (1, 2, 3):
    SHARED_CASES[f'{_B}/hmdb_splits/fs_base_s{_s}_train.txt'] = (
        'hmdb_51_base_labels.csv', _BASE, 16)
    SHARED_CASES[f'{_B}/ucf_splits/fs_base_s{_s}_train.txt'] = (
        'ucf_101_base_labels.csv', (), None)
SHARED_CASES[f'{_B}/ucf_splits/base_val.txt'] = ('ucf_101_base_labels.csv', (),
                                                 None)
SHARED_CASES[f'{_B}/ucf_splits/novel_val.txt'] = ('ucf_101_novel_labels.csv',
                                                  (), None)


@pytest.mark.skipif(not osp.isdir(SHARED), reason='../shared is absent')
@pytest.mark.parametrize('split', sorted(SHARED_CASES))
def test_shared_vifi_labels(split, tmp_path):
    labels, swapped, per_class = SHARED_CASES[split]
    kind = 'ucf101' if 'ucf' in split else 'hmdb51'
    ann, labels = osp.join(SHARED, split), osp.join(SHARED, 'labels', labels)
    checks = check_class_names(ann, labels, kind)
    assert _mismatched(checks) == [s + (per_class, ) for s in swapped]
    assert all(None not in c.counts and c.videos for c in checks)
    out = str(tmp_path / 'fixed.csv')
    names = write_fixed_class_names(ann, labels, kind, out)
    assert not _mismatched(check_class_names(ann, out, kind))
    # the fix only swaps the measured pairs back
    expected = load_class_names(labels)
    for label, _, said in swapped:
        expected[label] = said
    assert names == expected


@pytest.mark.skipif(not osp.isdir(SHARED), reason='../shared is absent')
def test_shared_hmdb_totals():
    ann = osp.join(SHARED, _H, 'val1.txt')
    checks = check_class_names(
        ann, osp.join(SHARED, 'labels', 'hmdb_51_labels.csv'), 'hmdb51')
    assert sum(c.affected for c in checks) == 120
    assert sum(c.videos for c in checks) == 1530
