"""Build Kinetics-400 (or -600/-700) video lists from the official CSVs.

    python tools/data/build_kinetics_annotations.py \
        data/kinetics400/annotations/train.csv \
        data/kinetics400/annotations/validate.csv --out-dir data/kinetics400

Each CSV has the header ``label,youtube_id,time_start,time_end,split``
(some releases add ``is_cc``). Classes are the sorted labels of the first
CSV, as in MMAction2's ``label_map_k400.txt``. Writes ``label_map.txt`` and
per CSV ``kinetics_<name>_list_videos.txt`` with lines
``<folder>/<youtube_id>_<start:06d>_<end:06d>.mp4 <label>``, the file names
MMAction2's download script and ViFi-CLIP's splits use (``--folder``
defaults to the CSV's name: ``train``, ``validate``; ``''`` for none).
"""
import argparse
import csv
import os
import os.path as osp


def read_csv(path):
    """Rows of an official Kinetics CSV as dicts (checked header)."""
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        need = {'label', 'youtube_id', 'time_start', 'time_end'}
        if not need <= set(reader.fieldnames or ()):
            raise ValueError(f'{path}:1: header needs {sorted(need)}, got '
                             f'{reader.fieldnames}')
        return list(reader)


def video_name(row, folder, suffix='.mp4'):
    name = (f'{row["youtube_id"]}_{int(float(row["time_start"])):06d}_'
            f'{int(float(row["time_end"])):06d}{suffix}')
    return osp.join(folder, name) if folder else name


def build(csv_files, out_dir, folders=None):
    """Write the label map and one list per CSV; return the counts."""
    tables = [read_csv(p) for p in csv_files]
    classes = sorted({row['label'] for row in tables[0]})
    index = {name: i for i, name in enumerate(classes)}
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'label_map.txt'), 'w') as f:
        f.writelines(f'{name}\n' for name in classes)
    counts = {}
    for i, (path, rows) in enumerate(zip(csv_files, tables)):
        stem = osp.splitext(osp.basename(path))[0]
        folder = stem if folders is None else folders[i]
        lines = []
        for lineno, row in enumerate(rows, start=2):
            if row['label'] not in index:
                raise ValueError(f'{path}:{lineno}: label {row["label"]!r} '
                                 f'is not a class of {csv_files[0]}')
            lines.append(f'{video_name(row, folder)} {index[row["label"]]}\n')
        with open(osp.join(out_dir, f'kinetics_{stem}_list_videos.txt'),
                  'w') as f:
            f.writelines(lines)
        counts[stem] = len(lines)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('csv_files', nargs='+', help='train CSV first')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument(
        '--folder',
        nargs='+',
        default=None,
        help='video folder per CSV (default: CSV name)')
    args = parser.parse_args()
    print(build(args.csv_files, args.out_dir, args.folder))


if __name__ == '__main__':
    main()
