"""Report the videos of a list that are missing (or unreadable) on disk.

    python tools/data/check_videos.py LIST [LIST ...] --prefix data/x/videos
        [--decode] [--out report.txt] [--write-clean clean.txt]

Lists are ``path label`` files (MMAction2's, ViFi-CLIP's splits). Exits
with status 1 if anything is missing, so scripts can stop before training
(2 for bad arguments). ``--decode`` also opens each video with decord and
reads one frame: a broken file otherwise crashes a data worker mid-run
(ViFi-CLIP #10). ``--out`` writes every bad video as ``list:line: path:
reason``; ``--write-clean`` writes the (single) list without them, each
kept line as it was, so that list can be trained on at once.
"""
import argparse
import os.path as osp
import sys


def list_videos(path):
    """``(line number, video path, line)`` of each non-blank line."""
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, start=1):
            if line.strip():
                yield lineno, line.strip().rsplit(' ', 1)[0], line


def broken(path):
    """Why decord cannot read ``path``, or None."""
    try:
        import decord
        reader = decord.VideoReader(path)
        if len(reader) == 0:
            return 'no frames'
        reader[0]
    except Exception as e:  # decord raises its own error types
        return f'{type(e).__name__}: {e}'.splitlines()[0]
    return None


def check(lists, prefix='', decode=False):
    """``(total, [(list, line, path, reason)])`` over all lists."""
    bad, total = [], 0
    for ann in lists:
        for lineno, video, _ in list_videos(ann):
            total += 1
            path = osp.join(prefix, video)
            reason = None if osp.isfile(path) else 'missing'
            if reason is None and decode:
                reason = broken(path)
            if reason:
                bad.append((ann, lineno, path, reason))
    return total, bad


def write_clean(ann, bad, out):
    """Write ``ann`` without the lines in ``bad``; return lines kept."""
    drop = {lineno for src, lineno, _, _ in bad if src == ann}
    kept = [line for lineno, _, line in list_videos(ann) if lineno not in drop]
    with open(out, 'w', encoding='utf-8') as f:
        f.writelines(
            line if line.endswith('\n') else line + '\n' for line in kept)
    return len(kept)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('lists', nargs='+')
    parser.add_argument('--prefix', default='', help='video folder')
    parser.add_argument('--decode', action='store_true')
    parser.add_argument(
        '--out', help='write every bad video here (list:line: path: why)')
    parser.add_argument(
        '--write-clean',
        metavar='OUT',
        help='write the list without its bad lines to OUT (one LIST only)')
    args = parser.parse_args()
    for ann in args.lists:
        if not osp.isfile(ann):
            parser.error(f'video list not found: {ann}')
    if args.write_clean and len(args.lists) != 1:
        parser.error(f'--write-clean takes one LIST, got '
                     f'{len(args.lists)}: {args.lists}; run once per list')
    if args.write_clean and osp.abspath(args.write_clean) == \
            osp.abspath(args.lists[0]):
        parser.error(f'--write-clean {args.write_clean} would overwrite '
                     f'the list it reads')
    return args


def main():
    args = parse_args()
    total, bad = check(args.lists, args.prefix, args.decode)
    report = [
        f'{ann}:{lineno}: {path}: {reason}'
        for ann, lineno, path, reason in bad
    ]
    for line in report[:20]:
        print(line)
    if len(report) > 20:
        print(f'... {len(report) - 20} more' +
              (f' in {args.out}' if args.out else ''))
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            f.writelines(f'{line}\n' for line in report)
    print(f'{len(bad)} of {total} videos missing or unreadable')
    if args.write_clean:
        kept = write_clean(args.lists[0], bad, args.write_clean)
        print(f'wrote {args.write_clean}: {kept} of {total} lines')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
