"""Report the videos of a list that are missing (or unreadable) on disk.

    python tools/data/check_videos.py LIST [LIST ...] --prefix data/x/videos
        [--decode [--config CFG [--split test]] [--workers N]
         [--timeout S]]
        [--out report.txt] [--write-clean clean.txt]

Lists are ``path label`` files (MMAction2's, ViFi-CLIP's splits). Exits
with status 1 if anything is missing, so scripts can stop before training
(2 for bad arguments). ``--decode`` also decodes each video through the
decoding part of the pipeline a run uses (its first transforms up to the
``*Decode`` one: ``--config``'s ``<split>_dataloader`` pipeline, or the
shipped default ``SafeDecordInit`` + ``DecordDecode``), in child processes
(``--workers`` of them), so a file that crashes the decoder is reported
with the signal instead of ending the check (ViFi-CLIP #10), and a file
that takes over ``--timeout`` seconds (a hung decoder, a stalled mount) is
reported as timed out; ``--config``'s ``custom_imports`` are imported
first, so its own transforms decode as in a run. ``--out``
writes every bad video as ``list:line: path: reason``; ``--write-clean``
writes the (single) list without them, each kept line as it was, so that
list can be trained on at once.
"""
import argparse
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def list_videos(path):
    """``(line number, video path, line)`` of each non-blank line."""
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, start=1):
            if line.strip():
                yield lineno, line.strip().rsplit(' ', 1)[0], line


def check(lists,
          prefix='',
          decode=False,
          pipeline=None,
          workers=1,
          progress=False,
          timeout=120,
          imports=()):
    """``(total, [(list, line, path, reason)])`` over all lists.

    ``decode`` runs ``pipeline``'s decoding part (None: the shipped
    default) over every present file in ``workers`` child processes,
    each having imported ``imports``; a file gets ``timeout`` seconds.
    """
    entries, total = [], 0
    for ann in lists:
        for lineno, video, _ in list_videos(ann):
            total += 1
            path = osp.join(prefix, video)
            entries.append(
                (ann, lineno, path, None if osp.isfile(path) else 'missing'))
    if decode:
        why = decode_errors([e[2] for e in entries if e[3] is None], pipeline,
                            workers, progress, timeout, imports)
        entries = [(a, n, p, r or why.get(p)) for a, n, p, r in entries]
    return total, [e for e in entries if e[3]]


def decode_errors(paths, pipeline, workers, progress, timeout=120, imports=()):
    """``{path: why}`` of the files the pipeline cannot decode."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from maxclip_mmaction.datasets.decode_check import check_decoding
    if not paths:
        return {}
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(set(paths)), unit='video', desc='decoding')
    try:
        out = check_decoding(
            paths,
            pipeline,
            workers=workers,
            timeout=timeout,
            imports=imports,
            progress=bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()
    return {p: why for p, why in out.items() if why}


def config_pipeline(config, split):
    """``(pipeline, imports)``: the dataset pipeline of
    ``<split>_dataloader`` in ``config`` and its ``custom_imports``."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    loader = cfg.get(f'{split}_dataloader')
    pipeline = (loader or {}).get('dataset', {}).get('pipeline')
    if not pipeline:
        raise SystemExit(f'{config}: no {split}_dataloader.dataset.pipeline')
    return pipeline, (cfg.get('custom_imports') or {}).get('imports', [])


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
    parser.add_argument(
        '--decode',
        action='store_true',
        help='decode each video (in child processes) as a run would')
    parser.add_argument(
        '--config', help='take the decoding transforms from this config')
    parser.add_argument(
        '--split',
        default='test',
        choices=['train', 'val', 'test'],
        help='whose dataloader pipeline --config gives (default: test)')
    parser.add_argument(
        '--workers', type=int, default=1, help='decoding processes')
    parser.add_argument(
        '--timeout',
        type=float,
        default=120,
        help='seconds one video may take to decode (default: 120)')
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
    if args.timeout <= 0:
        parser.error(f'--timeout must be positive, got {args.timeout}')
    if args.workers < 1:
        parser.error(f'--workers must be at least 1, got {args.workers}')
    if args.config and not osp.isfile(args.config):
        parser.error(f'config not found: {args.config}')
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
    pipeline, imports = config_pipeline(args.config, args.split) \
        if args.decode and args.config else (None, [])
    total, bad = check(
        args.lists,
        args.prefix,
        args.decode,
        pipeline,
        args.workers,
        progress=True,
        timeout=args.timeout,
        imports=imports)
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
