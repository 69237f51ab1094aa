"""Label files and few-shot arguments that used to pass or fail unclearly."""
import numpy as np
import pytest

from maxclip_mmaction.datasets import OpenVocabVideoDataset, load_class_names


def _write(path, lines):
    path.write_text(''.join(f'{line}\n' for line in lines))
    return str(path)


def _build(ann_file, class_names, **kwargs):
    return OpenVocabVideoDataset(
        ann_file, pipeline=[], class_names=class_names, **kwargs)


def test_duplicate_names_in_a_label_map_name_both_lines(tmp_path):
    names = _write(tmp_path / 'names.txt', ['run fast', 'jump', 'run_fast'])
    with pytest.raises(
            ValueError,
            match=r"names\.txt:3: duplicate class name 'run fast', also at "
            r'\S*names\.txt:1 '):
        load_class_names(names)


def test_duplicate_names_in_a_csv_name_both_lines(tmp_path):
    names = _write(tmp_path / 'labels.csv',
                   ['id,name', '0,jump', '1,run fast', '2,run_fast'])
    with pytest.raises(
            ValueError,
            match=r"labels\.csv:4: duplicate class name 'run fast', also at "
            r'\S*labels\.csv:3 '):
        load_class_names(names)


def test_duplicate_names_in_a_list_name_both_indices():
    with pytest.raises(
            ValueError,
            match=r"class_names\[2\]: duplicate .* also at class_names\[0\]"):
        load_class_names(['a', 'b', 'a'])


def test_id_name_label_map_raises_with_a_hint(tmp_path):
    names = _write(tmp_path / 'classInd.txt',
                   ['1 ApplyEyeMakeup', '2 Archery'])
    with pytest.raises(
            ValueError,
            match=r"classInd\.txt: every line starts with an integer .*"
            r"'1 ApplyEyeMakeup'.*Drop the ids"):
        load_class_names(names)
    # a name that merely starts with a number is fine
    mixed = _write(tmp_path / 'names.txt', ['3 legged race', 'archery'])
    assert load_class_names(mixed) == ['3 legged race', 'archery']


@pytest.mark.parametrize('line', ['frames/clip_7 20 1', 'frames/my clip 20 1'])
def test_rawframes_line_raises_naming_file_and_line(tmp_path, line):
    ann = _write(tmp_path / 'list.txt', ['a.mp4 0', line])
    with pytest.raises(
            ValueError,
            match=rf"list\.txt:2: '{line}' looks like a rawframes"):
        _build(ann, ['a', 'b'])


def test_paths_with_spaces_and_digits_still_read(tmp_path):
    ann = _write(tmp_path / 'list.txt', ['my clip 2.mp4 0', 'take 20.avi 1'])
    ds = _build(ann, ['a', 'b'])
    assert [ds.get_data_info(i)['filename']
            for i in range(2)] == ['my clip 2.mp4', 'take 20.avi']


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_shots=2, shot_seed=None), r'shot_seed must be an int.*None'),
    (dict(num_shots=2, shot_seed=True), r'shot_seed must be an int.*True'),
    (dict(num_shots=True), r'num_shots must be a positive int, got True'),
    (dict(num_shots=2.0), r'num_shots must be a positive int, got 2\.0'),
    (dict(num_shots='2'), r"num_shots must be a positive int, got '2'"),
    (dict(num_shots=0), r'num_shots must be a positive int, got 0'),
])
def test_bad_few_shot_arguments_raise(tmp_path, kwargs, match):
    ann = _write(tmp_path / 'list.txt',
                 [f'v{i}.mp4 {i % 2}' for i in range(8)])
    with pytest.raises(ValueError, match=match):
        _build(ann, ['a', 'b'], lazy_init=True, **kwargs)


def test_numpy_int_few_shot_arguments_work(tmp_path):
    ann = _write(tmp_path / 'list.txt',
                 [f'v{i}.mp4 {i % 2}' for i in range(8)])
    ds = _build(ann, ['a', 'b'], num_shots=np.int64(2), shot_seed=np.int64(3))
    again = _build(ann, ['a', 'b'], num_shots=2, shot_seed=3)
    assert len(ds) == 4
    assert [ds.get_data_info(i) for i in range(4)] == \
        [again.get_data_info(i) for i in range(4)]


@pytest.mark.parametrize('ext,content,lineno,bad,column', [
    ('.txt', b'jump\nrun\ncaf\xe9 latte\n', 3, b'\xe9', 4),
    ('.csv', b'\xef\xbb\xbfid,name\n0,jump\n1,"r\xffun"\n', 3, b'\xff', 5),
    ('.json', b'{"jump": 0,\n "r\xfeun": 1}', 2, b'\xfe', 4),
])
def test_non_utf8_class_names_name_file_line_and_bytes(
        tmp_path, ext, content, lineno, bad, column):
    path = tmp_path / f'names{ext}'
    path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        load_class_names(str(path))
    assert str(info.value).startswith(
        f'{path}:{lineno}: not UTF-8: bytes {bad!r} at column {column} ')


def test_non_utf8_video_list_names_file_line_and_bytes(tmp_path):
    ann = tmp_path / 'train.txt'
    ann.write_bytes(b'a.mp4 0\r\nb.mp4 1\r\nv\xeddeo.mp4 0\r\n')
    with pytest.raises(ValueError,
                       match=r"train\.txt:3: not UTF-8: bytes b'\\xed' at "
                       r"column 2 \(line b'v\\xeddeo\.mp4 0'\)"):
        _build(str(ann), ['jump', 'run'])


def test_utf8_with_bom_and_crlf_still_reads(tmp_path):
    names = tmp_path / 'names.txt'
    names.write_bytes('\ufeffcafé\r\njump\r\n'.encode('utf-8'))
    ann = tmp_path / 'train.txt'
    ann.write_bytes('\ufeffvidéo.mp4 0\r\nb.mp4 1\r\n'.encode('utf-8'))
    ds = _build(str(ann), str(names))
    assert ds.metainfo['classes'] == ('café', 'jump')
    assert [ds.get_data_info(i)['filename'] for i in range(len(ds))] == [
        'vidéo.mp4', 'b.mp4']


def test_duplicate_video_in_a_training_list_warns_with_both_lines(
        tmp_path):
    ann = _write(tmp_path / 'train.txt',
                 ['a.mp4 0', 'b.mp4 1', 'a.mp4 0', 'b.mp4 0'])
    with pytest.warns(UserWarning) as caught:
        ds = _build(ann, ['jump', 'run'])
    text = str(caught[0].message)
    assert "2 repeated videos: 'a.mp4' on lines 1 and 3; 'b.mp4' on lines " \
        '2 and 4 (labels 1 and 0)' in text
    assert len(ds) == 4  # training keeps them: repeats may be intended


def test_duplicate_video_in_a_test_list_is_refused_unless_allowed(
        tmp_path):
    ann = _write(tmp_path / 'test.txt', ['a.mp4 0', 'b.mp4 1', 'a.mp4 0'])
    with pytest.raises(ValueError,
                       match=r"test\.txt: 1 repeated videos: 'a\.mp4' on "
                       r'lines 1 and 3\. .*allow_duplicates=True'):
        _build(ann, ['jump', 'run'], test_mode=True)
    with pytest.warns(UserWarning, match='on lines 1 and 3'):
        ds = _build(ann, ['jump', 'run'], test_mode=True,
                    allow_duplicates=True)
    assert len(ds) == 3


def test_duplicate_video_in_a_base_novel_group_is_refused(tmp_path):
    from maxclip_mmaction.datasets import BaseNovelVideoDataset
    groups = [dict(name='base', class_names=['jump', 'run'],
                   ann_file=_write(tmp_path / 'b.txt',
                                   ['a.mp4 0', 'c.mp4 1'])),
              dict(name='novel', class_names=['swim'],
                   ann_file=_write(tmp_path / 'n.txt',
                                   ['x.mp4 0', 'x.mp4 0']))]
    with pytest.raises(ValueError, match=r"n\.txt: 1 repeated videos: "
                       r"'x\.mp4' on lines 1 and 2"):
        BaseNovelVideoDataset(groups=groups, pipeline=[])
    with pytest.warns(UserWarning, match='on lines 1 and 2'):
        ds = BaseNovelVideoDataset(groups=groups, pipeline=[],
                                   allow_duplicates=True)
    assert len(ds) == 4
