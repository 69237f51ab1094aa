"""Report the videos of a list that are missing (or unreadable) on disk.

    python tools/data/check_videos.py LIST [LIST ...] --prefix data/x/videos
        [--decode] [--out missing.txt]

Lists are ``path label`` files (MMAction2's, ViFi-CLIP's splits). Exits
with status 1 if anything is missing, so scripts can stop before training.
``--decode`` also opens each video with decord and reads one frame:
a broken file otherwise crashes a data worker mid-run (ViFi-CLIP #10).
"""
import argparse
import os.path as osp
import sys


def list_videos(path):
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, start=1):
            if line.strip():
                yield lineno, line.strip().rsplit(' ', 1)[0]


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
        for lineno, video in list_videos(ann):
            total += 1
            path = osp.join(prefix, video)
            reason = None if osp.isfile(path) else 'missing'
            if reason is None and decode:
                reason = broken(path)
            if reason:
                bad.append((ann, lineno, path, reason))
    return total, bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('lists', nargs='+')
    parser.add_argument('--prefix', default='', help='video folder')
    parser.add_argument('--decode', action='store_true')
    parser.add_argument('--out', help='write the bad paths here')
    args = parser.parse_args()
    total, bad = check(args.lists, args.prefix, args.decode)
    for ann, lineno, path, reason in bad[:20]:
        print(f'{ann}:{lineno}: {path}: {reason}')
    if args.out:
        with open(args.out, 'w') as f:
            f.writelines(f'{path}\t{reason}\n' for _, _, path, reason in bad)
    print(f'{len(bad)} of {total} videos missing or unreadable')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
