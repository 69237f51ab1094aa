"""Build HMDB51 video lists from the official split files.

    python tools/data/build_hmdb51_annotations.py \
        data/hmdb51/testTrainMulti_7030_splits data/hmdb51/annotations

Reads ``<class>_test_split{1,2,3}.txt`` (lines ``<video>.avi <t>``, t = 1
train, 2 test, 0 unused). Classes are the sorted class names (0-based),
as in MMAction2. Writes ``hmdb51_{train,val}_split_{k}_videos.txt`` with
``<class>/<video>.avi <label>`` (``--flat``: ``<video>.avi``, the layout of
ViFi-CLIP's HMDB splits) and ``label_map.txt`` (``_`` kept; the dataset
cleans names to ``brush hair`` for prompting).
"""
import argparse
import glob
import os
import os.path as osp
import re

_NAME = re.compile(r'^(.+)_test_split([123])\.txt$')


def build(split_dir, out_dir, flat=False):
    files = {}
    for path in glob.glob(osp.join(split_dir, '*_test_split*.txt')):
        match = _NAME.match(osp.basename(path))
        if match:
            files[(match.group(1), int(match.group(2)))] = path
    if not files:
        raise FileNotFoundError(f'no <class>_test_split<k>.txt in '
                                f'{split_dir}')
    classes = sorted({c for c, _ in files})
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'label_map.txt'), 'w') as f:
        f.writelines(f'{name}\n' for name in classes)
    counts = {}
    for k in sorted({k for _, k in files}):
        lists = {'train': [], 'val': []}
        for label, name in enumerate(classes):
            path = files.get((name, k))
            if path is None:
                raise FileNotFoundError(f'{split_dir}: no '
                                        f'{name}_test_split{k}.txt')
            for video, tag in _read_split(path):
                split = {'1': 'train', '2': 'val'}.get(tag)
                if split:
                    rel = video if flat else f'{name}/{video}'
                    lists[split].append(f'{rel} {label}\n')
        for split, lines in lists.items():
            out = f'hmdb51_{split}_split_{k}_videos.txt'
            with open(osp.join(out_dir, out), 'w') as f:
                f.writelines(lines)
            counts[out] = len(lines)
    return counts


def _read_split(path):
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2 or parts[1] not in ('0', '1', '2'):
                raise ValueError(f'{path}:{lineno}: expected "<video> '
                                 f'0|1|2", got {line.strip()!r}')
            yield parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('split_dir', help='testTrainMulti_7030_splits')
    parser.add_argument('out_dir')
    parser.add_argument('--flat', action='store_true')
    args = parser.parse_args()
    print(build(args.split_dir, args.out_dir, args.flat))


if __name__ == '__main__':
    main()
