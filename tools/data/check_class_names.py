"""Check a label file's class names against the classes in the file names.

    python tools/data/check_class_names.py {hmdb51,ucf101} LIST LABELS
        [--write-fixed OUT.csv]

HMDB51 (``<title>_<action>_<6 fields>.avi``) and UCF101
(``v_<Class>_gXX_cYY.avi``) file names embed their class. Prints the label
ids whose videos' file names embed another class than the label file names
(id, listed name, name most file names embed, videos affected) and exits
with status 1 if there are any, so scripts can stop before training; 2 on
an unreadable input. ``--write-fixed`` writes a copy of LABELS (``id,name``)
with each id renamed by majority of its file names; it refuses (status 2)
when a file name embeds no known class or a majority is a tie. ViFi-CLIP's
HMDB51 label CSVs need it (docs/data/hmdb51.md).
"""
import argparse
import sys

from maxclip_mmaction.cli import filename_classes


def table(checks):
    """Rows ``(id, listed, in file names, affected/videos)`` to print."""
    rows = [('id', 'listed name', 'name in file names', 'videos affected')]
    for c in checks:
        if not c.mismatch:
            continue
        said = '?' if c.embedded is None else c.embedded
        if c.ambiguous:
            said += ' (tie)'
        rows.append(
            (str(c.label), c.listed, said, f'{c.affected} of {c.videos}'))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('kind', choices=filename_classes.KINDS)
    parser.add_argument('list', help='path label video list')
    parser.add_argument('labels', help='class names the labels index')
    parser.add_argument(
        '--write-fixed', metavar='OUT', help='write corrected names here')
    args = parser.parse_args()
    try:
        checks = filename_classes.check_class_names(args.list, args.labels,
                                                    args.kind)
        fixed = None
        if args.write_fixed:
            fixed = filename_classes.write_fixed_class_names(
                args.list, args.labels, args.kind, args.write_fixed)
    except (OSError, ValueError) as e:
        print(f'error: {e}', file=sys.stderr)
        sys.exit(2)
    rows = table(checks)
    if len(rows) > 1:
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            cells = '  '.join(v.ljust(w) for v, w in zip(row, widths))
            print(f'{cells}  {row[3]}')
    bad = [c for c in checks if c.mismatch]
    affected = sum(c.affected for c in checks)
    total = sum(c.videos for c in checks)
    print(f'{len(bad)} of {len(checks)} ids of {args.labels} mismatch the '
          f'file names of {args.list}: {affected} of {total} videos are '
          f'named otherwise than their file names say')
    if fixed is not None:
        changed = sum(c.listed != c.embedded for c in bad)
        print(f'wrote {args.write_fixed} ({changed} names changed)')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
