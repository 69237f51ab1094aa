import json
import os.path as osp
from collections import Counter

import pytest

from maxclip_mmaction.datasets import (BaseNovelVideoDataset,
                                       OpenVocabVideoDataset)

SHARED = osp.join(
    osp.dirname(__file__), '..', '..', '..', 'shared', 'data', 'vifi_splits')


def _write(path, lines):
    path.write_text(''.join(f'{line}\n' for line in lines))
    return str(path)


def _list(tmp_path, labels, name='list.txt'):
    return _write(tmp_path / name,
                  [f'v{i}.mp4 {y}' for i, y in enumerate(labels)])


def _build(ann_file, class_names, **kwargs):
    return OpenVocabVideoDataset(
        ann_file, pipeline=[], class_names=class_names, **kwargs)


def test_list_names_and_prefix(tmp_path):
    ann = _list(tmp_path, [0, 1, 1])
    ds = _build(ann, ['jump', 'run_fast'], data_prefix=dict(video='vids'))
    assert ds.metainfo['classes'] == ('jump', 'run fast')
    assert len(ds) == 3
    assert ds.get_data_info(2)['filename'] == osp.join('vids', 'v2.mp4')
    assert ds.get_data_info(2)['label'] == 1


def test_data_root_joins_list_and_names(tmp_path):
    _list(tmp_path, [0, 1])
    _write(tmp_path / 'names.txt', ['a', 'b'])
    ds = _build('list.txt', 'names.txt', data_root=str(tmp_path))
    assert ds.metainfo['classes'] == ('a', 'b')
    assert ds.get_data_info(0)['filename'] == osp.join(str(tmp_path), 'v0.mp4')


def test_label_map_txt(tmp_path):
    names = _write(tmp_path / 'label_map.txt', ['abseiling', 'air drumming'])
    ds = _build(_list(tmp_path, [1, 0]), names)
    assert ds.metainfo['classes'] == ('abseiling', 'air drumming')


def test_vifi_csv_quoted(tmp_path):
    names = _write(tmp_path / 'labels.csv', [
        'id,name', '0,"Pushing [something] from left to right"',
        '1,"Putting something, something and something on the table"'
    ])
    ds = _build(_list(tmp_path, [0, 1]), names)
    assert ds.metainfo['classes'] == (
        'Pushing something from left to right',
        'Putting something, something and something on the table')


def test_byte_order_marks_are_not_part_of_the_data(tmp_path):
    names = tmp_path / 'labels.csv'
    names.write_text('\ufeffid,name\n0,run\n1,jump\n', encoding='utf-8')
    ann = tmp_path / 'list.txt'
    ann.write_text('\ufeffa.mp4 1\nb.mp4 0\n', encoding='utf-8')
    ds = _build(str(ann), str(names))
    assert ds.metainfo['classes'] == ('run', 'jump')
    assert ds.get_data_info(0)['filename'] == 'a.mp4'


def test_malformed_json_names_the_file(tmp_path):
    path = tmp_path / 'labels.json'
    path.write_text('{"Holding [something]": "0",\n}')
    with pytest.raises(ValueError, match=r'labels\.json:2:1: not valid JSON'):
        _build(_list(tmp_path, [0]), str(path))


def test_ssv2_json(tmp_path):
    path = tmp_path / 'labels.json'
    path.write_text(
        json.dumps({
            'Holding [something]': '1',
            'Approaching [something] with your camera': '0'
        }))
    ds = _build(_list(tmp_path, [0, 1]), str(path))
    assert ds.metainfo['classes'] == ('Approaching something with your '
                                      'camera', 'Holding something')


def test_paths_with_spaces(tmp_path):
    ann = _write(tmp_path / 'l.txt', ['my video.mp4 0', 'b.mp4 1'])
    ds = _build(ann, ['a', 'b'])
    assert ds.get_data_info(0)['filename'] == 'my video.mp4'


@pytest.mark.parametrize('lines,match', [
    (['a.mp4 0', 'b.mp4 3'], r'list\.txt:2: label 3 out of range'),
    (['a.mp4 0', 'b.mp4 -1'], r'list\.txt:2: label -1 out of range'),
    (['a.mp4 0', 'b.mp4 one'], r"list\.txt:2: expected .*'b\.mp4 one'"),
    (['a.mp4 0', 'b.mp4'], r"list\.txt:2: expected .*'b\.mp4'"),
    ([], r'list\.txt: empty video list'),
    (['a.mp4 0', 'b.mp4 0'], r'labels go up to 0 but .* 3 class names'),
    (['a.mp4 0', 'b.mp4 \u00b2'], r"list\.txt:2: expected .*'b\.mp4 \u00b2'"),
])
def test_bad_lists_raise_with_file_line_value(tmp_path, lines, match):
    ann = _write(tmp_path / 'list.txt', lines)
    with pytest.raises(ValueError, match=match):
        _build(ann, ['a', 'b', 'c'])


def test_class_count_check_can_be_disabled(tmp_path):
    ds = _build(_list(tmp_path, [0, 0]), ['a', 'b'], check_class_count=False)
    assert len(ds) == 2


def test_out_of_range_names_the_class_file(tmp_path):
    names = _write(tmp_path / 'names.txt', ['a', 'b'])
    with pytest.raises(ValueError, match=r'names\.txt has 2 classes'):
        _build(_list(tmp_path, [0, 5]), names)


def test_duplicate_class_names_raise(tmp_path):
    with pytest.raises(ValueError, match="duplicate class name 'run fast'"):
        _build(_list(tmp_path, [0, 1, 2]), ['run fast', 'jump', 'run_fast'])


def test_missing_list_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        _build(str(tmp_path / 'nope.txt'), ['a'])


def test_class_subset_by_name_id_and_file(tmp_path):
    ann = _list(tmp_path, [0, 1, 2, 3, 2])
    names = ['w', 'x', 'y_z', 'u']
    by_name = _build(ann, names, class_subset=['y z', 'x'])
    by_id = _build(ann, names, class_subset=[2, 1])
    subset = _write(tmp_path / 'subset.txt', ['y_z', '1'])
    by_file = _build(ann, names, class_subset=subset)
    for ds in (by_name, by_id, by_file):
        assert ds.metainfo['classes'] == ('y z', 'x')
        infos = [ds.get_data_info(i) for i in range(len(ds))]
        assert [(d['filename'], d['label']) for d in infos] == [('v1.mp4', 1),
                                                                ('v2.mp4', 0),
                                                                ('v4.mp4', 0)]


def test_class_subset_unknown_name_raises(tmp_path):
    with pytest.raises(ValueError, match="unknown class 'nope'"):
        _build(_list(tmp_path, [0, 1]), ['a', 'b'], class_subset=['nope'])


def test_class_subset_without_videos_raises(tmp_path):
    with pytest.raises(ValueError, match=r'list\.txt: no video of its 2 '
                       r'belongs to the class subset'):
        _build(_list(tmp_path, [0, 1]), ['a', 'b', 'c'], class_subset=['c'],
               check_class_count=False)


def _fewshot_list(tmp_path):
    return _list(tmp_path, [c for c in range(3) for _ in range(10)])


def test_few_shot_exact_k_and_deterministic(tmp_path):
    ann = _fewshot_list(tmp_path)

    def files(seed):
        ds = _build(ann, ['a', 'b', 'c'], num_shots=4, shot_seed=seed)
        infos = [ds.get_data_info(i) for i in range(len(ds))]
        assert Counter(d['label'] for d in infos) == {0: 4, 1: 4, 2: 4}
        return [d['filename'] for d in infos]

    assert files(0) == files(0)
    assert files(0) != files(1)


def test_few_shot_after_subset(tmp_path):
    ds = _build(
        _fewshot_list(tmp_path), ['a', 'b', 'c'],
        class_subset=[2],
        num_shots=3)
    assert [ds.get_data_info(i)['label'] for i in range(len(ds))] == [0] * 3


def test_few_shot_too_few_videos_raises(tmp_path):
    ann = _list(tmp_path, [0, 0, 0, 1, 1])
    with pytest.raises(
            ValueError,
            match=r"class 1 \('b'\) has 2 videos, "
            r'fewer than num_shots=3'):
        _build(ann, ['a', 'b'], num_shots=3)


def test_base_novel_union(tmp_path):
    base = _list(tmp_path, [0, 1, 1], 'base.txt')
    novel = _write(tmp_path / 'novel.txt', ['n0.mp4 1', 'n1.mp4 0'])
    ds = BaseNovelVideoDataset(
        groups=[
            dict(name='base', ann_file=base, class_names=['a', 'b']),
            dict(
                name='novel',
                ann_file=novel,
                class_names=['c', 'd'],
                data_prefix='nov')
        ],
        pipeline=[],
        data_prefix=dict(video='vids'))
    assert ds.metainfo['classes'] == ('a', 'b', 'c', 'd')
    assert ds.metainfo['class_groups'] == (0, 0, 1, 1)
    assert ds.metainfo['group_names'] == ('base', 'novel')
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert [d['label'] for d in infos] == [0, 1, 1, 3, 2]
    assert infos[0]['filename'] == osp.join('vids', 'v0.mp4')
    assert infos[3]['filename'] == osp.join('nov', 'n0.mp4')


def test_base_novel_errors(tmp_path):
    base = _list(tmp_path, [0, 1], 'base.txt')
    group = dict(name='base', ann_file=base, class_names=['a', 'b'])
    with pytest.raises(
            ValueError, match="class 'a' is in group 'base' and "
            "group 'novel'"):
        BaseNovelVideoDataset(
            groups=[group, dict(group, name='novel')], pipeline=[])
    with pytest.raises(ValueError, match=r"missing keys \['class_names'\]"):
        BaseNovelVideoDataset(
            groups=[dict(name='b', ann_file=base)], pipeline=[])
    with pytest.raises(ValueError, match="groups\\[1\\]: group name 'base' "
                       "is also groups\\[0\\]'s"):
        BaseNovelVideoDataset(groups=[group, dict(
            group, class_names=['c', 'd'])], pipeline=[])
    with pytest.raises(ValueError, match=r'base\.txt: no video of its 2 '
                       r'belongs to the class subset \(class ids \[2\]\)'):
        BaseNovelVideoDataset(groups=[dict(
            group, class_names=['a', 'b', 'c'], class_subset=['c'],
            check_class_count=False)], pipeline=[])
    bad = _list(tmp_path, [0, 2], 'bad.txt')
    with pytest.raises(ValueError, match=r'bad\.txt:2: label 2 out of range'):
        BaseNovelVideoDataset(groups=[dict(group, ann_file=bad)], pipeline=[])


# ViFi-CLIP split file -> (label CSV, number of classes, videos per class
# or None). Counts from ViFi-CLIP's split files' names.
_B2N = 'datasets_splits/base2novel_splits'
_FS = 'datasets_splits'
VIFI = {
    f'{_B2N}/k400_splits/fs_base_s1_train.txt':
    ('kinetics_400_base_labels.csv', 200, 16),
}
for _short, _labels, _n in (('hmdb', 'hmdb_51', (26, 25)),
                            ('ucf', 'ucf_101', (51, 50)), ('ssv2', 'ssv2_174',
                                                           (87, 87))):
    for _s in (1, 2, 3):
        VIFI[f'{_B2N}/{_short}_splits/fs_base_s{_s}_train.txt'] = (
            f'{_labels}_base_labels.csv', _n[0], 16)
    VIFI[f'{_B2N}/{_short}_splits/base_val.txt'] = (
        f'{_labels}_base_labels.csv', _n[0], None)
    VIFI[f'{_B2N}/{_short}_splits/novel_val.txt'] = (
        f'{_labels}_novel_labels.csv', _n[1], None)
for _short, _labels, _n in (('hmdb', 'hmdb_51_labels.csv',
                             51), ('ucf', 'ucf_101_labels.csv', 101),
                            ('ssv2', 'ssv2_labels.csv', 174)):
    for _k in (2, 4, 8, 16):
        VIFI[f'{_FS}/{_short}_splits/train1_few_shot_{_k}.txt'] = (_labels, _n,
                                                                   _k)
VIFI[f'{_FS}/hmdb_splits/val1.txt'] = ('hmdb_51_labels.csv', 51, None)


@pytest.mark.skipif(not osp.isdir(SHARED), reason='../shared is absent')
def test_every_shared_vifi_file_is_covered():
    import glob
    found = {
        osp.relpath(p, SHARED)
        for p in glob.glob(
            osp.join(SHARED, 'datasets_splits', '**', '*.txt'), recursive=True)
    }
    assert found == set(VIFI)


@pytest.mark.skipif(not osp.isdir(SHARED), reason='../shared is absent')
@pytest.mark.parametrize('split', sorted(VIFI))
def test_reads_shared_vifi_splits(split):
    labels, num_classes, per_class = VIFI[split]
    path = osp.join(SHARED, split)
    ds = _build(path, osp.join(SHARED, 'labels', labels))
    assert len(ds.metainfo['classes']) == num_classes
    with open(path) as f:
        lines = [ln.split() for ln in f if ln.strip()]
    assert len(ds) == len(lines)
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert [(d['filename'], d['label'])
            for d in infos] == [(name, int(y)) for name, y in lines]
    if per_class is not None:
        counts = Counter(d['label'] for d in infos)
        assert set(counts.values()) == {per_class}
        assert len(counts) == num_classes


LABEL_CSVS = {
    'kinetics_400_labels.csv': 400,
    'kinetics_400_base_labels.csv': 200,
    'kinetics_400_novel_labels.csv': 200,
    'hmdb_51_labels.csv': 51,
    'hmdb_51_base_labels.csv': 26,
    'hmdb_51_novel_labels.csv': 25,
    'ucf_101_labels.csv': 101,
    'ucf_101_base_labels.csv': 51,
    'ucf_101_novel_labels.csv': 50,
    'ssv2_labels.csv': 174,
    'ssv2_174_base_labels.csv': 87,
    'ssv2_174_novel_labels.csv': 87
}


@pytest.mark.skipif(not osp.isdir(SHARED), reason='../shared is absent')
def test_reads_every_shared_label_csv():
    import os

    from maxclip_mmaction.datasets import load_class_names
    assert set(os.listdir(osp.join(SHARED, 'labels'))) == set(LABEL_CSVS)
    names = {}
    for csv_name, count in LABEL_CSVS.items():
        names[csv_name] = load_class_names(
            osp.join(SHARED, 'labels', csv_name))
        assert len(names[csv_name]) == count
    for full, part in (('ssv2_labels.csv', 'ssv2_174'),
                       ('kinetics_400_labels.csv',
                        'kinetics_400'), ('hmdb_51_labels.csv', 'hmdb_51'),
                       ('ucf_101_labels.csv', 'ucf_101')):
        base = names[f'{part}_base_labels.csv']
        novel = names[f'{part}_novel_labels.csv']
        assert sorted(base + novel) == sorted(names[full])
    assert all('[' not in n and '_' not in n for n in names['ssv2_labels.csv'])
