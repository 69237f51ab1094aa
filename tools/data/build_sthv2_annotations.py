"""Build Something-Something V2 video lists from the official release.

    python tools/data/build_sthv2_annotations.py \
        data/sthv2/labels data/sthv2/annotations

Reads ``something-something-v2-labels.json`` (template -> id) and
``something-something-v2-{train,validation}.json`` (a list of
``{"id", "template", ...}``) from ``labels_dir``; writes
``sthv2_{train,val}_list_videos.txt`` (``<id>.webm <label>``, MMAction2's
names) and ``label_map_sthv2.txt`` (one template a line, by id) to
``out_dir``. ``OpenVocabVideoDataset`` reads the labels JSON directly too.
"""
import argparse
import os
import os.path as osp

from maxclip_mmaction.datasets.class_names import read_json

SPLITS = {'train': 'train', 'val': 'validation'}


def load_json(path):
    if not osp.isfile(path):
        raise FileNotFoundError(f'not found: {path}')
    return read_json(path)


def build(labels_dir, out_dir, suffix='.webm'):
    """Write the lists; return ``{split: number of videos}``."""
    labels = osp.join(labels_dir, 'something-something-v2-labels.json')
    table = load_json(labels)
    ids = {}
    for name, idx in table.items():
        if not str(idx).isascii() or not str(idx).isdigit():
            raise ValueError(f'{labels}: template {name!r} has id {idx!r}, '
                             f'expected a non-negative integer')
        ids[name] = int(idx)
    if sorted(ids.values()) != list(range(len(ids))):
        raise ValueError(f'{labels}: ids must be 0..{len(ids) - 1}, each '
                         f'once')
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'label_map_sthv2.txt'), 'w') as f:
        f.writelines(f'{name}\n' for name in sorted(ids, key=ids.get))
    counts = {}
    for split, official in SPLITS.items():
        path = osp.join(labels_dir, f'something-something-v2-{official}.json')
        lines = []
        for i, item in enumerate(load_json(path)):
            # the video JSONs keep the brackets the labels JSON drops
            template = item['template'].replace('[', '').replace(']', '')
            if template not in ids:
                raise ValueError(f'{path}: item {i} (id {item["id"]}) has '
                                 f'template {template!r}, not in the labels')
            lines.append(f'{item["id"]}{suffix} {ids[template]}\n')
        with open(osp.join(out_dir, f'sthv2_{split}_list_videos.txt'),
                  'w') as f:
            f.writelines(lines)
        counts[split] = len(lines)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('labels_dir', help='folder of the official JSONs')
    parser.add_argument('out_dir')
    parser.add_argument('--suffix', default='.webm')
    args = parser.parse_args()
    print(build(args.labels_dir, args.out_dir, args.suffix))


if __name__ == '__main__':
    main()
