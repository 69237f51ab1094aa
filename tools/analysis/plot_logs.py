"""Plot loss, learning rate and base/novel/HM curves of training runs.

Reads mmengine's ``vis_data/scalars.json`` (the ``LocalVisBackend`` of
``configs/_base_/default_runtime.py``) of every run of a work dir, oldest
first, so a resumed run's curves start at step 0 (where runs overlap the
later one wins), or an mmcv-style ``*.log.json``; writes one PNG with a
line per work dir.

Example::

    python tools/analysis/plot_logs.py work_dirs/run_a work_dirs/run_b \\
        --labels mean max --out work_dirs/curves.png
"""
import argparse
import os
import os.path as osp

from maxclip_mmaction.analysis.logs import (plot_curves, read_run,
                                            split_curves)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        'logs', nargs='+', help='work dirs or scalars.json / *.log.json files')
    parser.add_argument('--labels', nargs='+', help='legend name per log')
    parser.add_argument('--out', default='curves.png', help='output PNG')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    labels = args.labels or [osp.basename(osp.normpath(p)) for p in args.logs]
    if len(labels) != len(args.logs):
        raise ValueError(f'--labels gives {len(labels)} names for '
                         f'{len(args.logs)} logs')
    runs = []
    for label, path in zip(labels, args.logs):
        files, records = read_run(path)
        curves = split_curves(records)
        if not curves:
            raise ValueError(f'{", ".join(files)}: no loss, lr or metric '
                             f'values')
        print(f'{label}: {", ".join(files)}: {", ".join(curves)}')
        runs.append((label, curves))
    out_dir = osp.dirname(args.out)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    plot_curves(runs, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
