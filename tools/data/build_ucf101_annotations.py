"""Build UCF101 video lists from the official split files.

    python tools/data/build_ucf101_annotations.py \
        data/ucf101/ucfTrainTestlist data/ucf101/annotations [--flat]

Reads ``classInd.txt`` (``1 ApplyEyeMakeup``, ids from 1),
``trainlist0{1,2,3}.txt`` (``Class/v_x.avi 1``) and
``testlist0{1,2,3}.txt`` (``Class/v_x.avi``, class from the folder).
Writes ``ucf101_{train,val}_split_{k}_videos.txt`` with 0-based labels and
``label_map.txt``. ``--flat`` drops the class folder (``v_x.avi``), the
layout of ViFi-CLIP's UCF splits.
"""
import argparse
import os
import os.path as osp


def read_class_ind(path):
    names = {}
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not (parts[0].isascii()
                                       and parts[0].isdigit()):
                raise ValueError(f'{path}:{lineno}: expected "<id> <name>", '
                                 f'got {line.strip()!r}')
            names[int(parts[0])] = parts[1]
    if sorted(names) != list(range(1, len(names) + 1)):
        raise ValueError(f'{path}: ids must be 1..{len(names)}')
    return [names[i] for i in range(1, len(names) + 1)]


def convert(path, index, flat):
    """``Class/v_x.avi [id]`` lines -> ``(video, label)`` pairs."""
    out = []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            video = line.split()[0]
            folder = video.replace('\\', '/').split('/')[0]
            if folder not in index:
                raise ValueError(f'{path}:{lineno}: class folder {folder!r} '
                                 f'is not in classInd.txt')
            out.append((osp.basename(video) if flat else video, index[folder]))
    return out


def build(split_dir, out_dir, flat=False):
    classes = read_class_ind(osp.join(split_dir, 'classInd.txt'))
    index = {name: i for i, name in enumerate(classes)}
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'label_map.txt'), 'w') as f:
        f.writelines(f'{name}\n' for name in classes)
    counts = {}
    for k in (1, 2, 3):
        for split, official in (('train', 'trainlist'), ('val', 'testlist')):
            src = osp.join(split_dir, f'{official}0{k}.txt')
            if not osp.isfile(src):
                continue
            pairs = convert(src, index, flat)
            name = f'ucf101_{split}_split_{k}_videos.txt'
            with open(osp.join(out_dir, name), 'w') as f:
                f.writelines(f'{v} {y}\n' for v, y in pairs)
            counts[name] = len(pairs)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('split_dir', help='folder of classInd.txt etc.')
    parser.add_argument('out_dir')
    parser.add_argument('--flat', action='store_true')
    args = parser.parse_args()
    print(build(args.split_dir, args.out_dir, args.flat))


if __name__ == '__main__':
    main()
