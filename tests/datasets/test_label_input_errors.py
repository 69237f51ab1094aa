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
