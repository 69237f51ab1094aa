"""Rank class names for one video.

Example::

    python tools/demo.py configs/synthmotion/CONFIG.py video.mp4 \
        --checkpoint work_dirs/quickstart
    python tools/demo.py CONFIG video.mp4 --checkpoint ckpt.pth \
        --labels "surfing,archery,yoga" --json
    python tools/demo.py CONFIG video.mp4 --label-file my_classes.txt

Class names default to the checkpoint's (a training run stores its train
set's); ``--labels`` / ``--label-file`` rank other names. Without
``--checkpoint`` the config's CLIP weights are used (zero-shot). A folder
as ``--checkpoint`` means the checkpoint its ``last_checkpoint`` names
(mmengine writes that file in a work dir). stdout holds the ranking only
(or JSON with ``--json``); logs and warnings go to stderr.

The arguments are checked before torch and MMAction2 are imported, so
``--help`` and a wrong path answer at once.
"""
import argparse
import contextlib
import json
import os
import os.path as osp
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description='Rank class names for a video; the ranking (or JSON) '
        'is the only output on stdout.')
    parser.add_argument('config', help='model config file')
    parser.add_argument('video', help='video file')
    parser.add_argument(
        '--checkpoint',
        help='checkpoint file, or a work dir (its '
        "last_checkpoint file names one); default: the config's "
        'pretrained CLIP, zero-shot')
    names = parser.add_mutually_exclusive_group()
    names.add_argument(
        '--labels',
        help="comma-separated class names (default: the "
        "checkpoint's)")
    names.add_argument(
        '--label-file',
        help='label file: one name a line, '
        'id,name CSV, or SSv2 JSON')
    parser.add_argument(
        '--topk',
        type=int,
        default=5,
        help='how many names to print (default 5)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--json', action='store_true', help='print the ranking as JSON')
    return parser


def resolve_checkpoint(parser: argparse.ArgumentParser, path: str) -> str:
    """The checkpoint file ``--checkpoint`` means (a folder: the one its
    ``last_checkpoint`` names), or exit naming what to pass instead."""
    if osp.isfile(path):
        return path
    if not osp.isdir(path):
        parser.error(f'--checkpoint {path}: no such file or folder')
    pointer = osp.join(path, 'last_checkpoint')
    if not osp.isfile(pointer):
        found = sorted((osp.join(path, f)
                        for f in os.listdir(path) if f.endswith('.pth')),
                       key=osp.getmtime)
        hint = (f'pass one of its checkpoints, e.g. the newest: '
                f'--checkpoint {found[-1]}' if found else
                'it holds no .pth file either; pass a checkpoint file')
        parser.error(f'--checkpoint {path} is a folder without a '
                     f'last_checkpoint file (a training run writes one '
                     f'in its work dir): {hint}')
    named = open(pointer, encoding='utf-8').read().strip()
    # last_checkpoint holds the path the run saved to: relative to where
    # training ran, so also try the file's name inside the folder
    for candidate in (named, osp.join(path, osp.basename(named))):
        if named and osp.isfile(candidate):
            return candidate
    parser.error(f'--checkpoint {path}: its last_checkpoint names '
                 f'{named!r}, which does not exist; pass a checkpoint file')


def _config_class_names(config: str):
    """The config's ``model.cls_head.class_names`` (mmengine's Config
    alone: the plugin and torch are not imported)."""
    from mmengine.config import Config
    cfg = Config.fromfile(config, import_custom_modules=False)
    head = (cfg.get('model') or {}).get('cls_head') or {}
    return head.get('class_names') if isinstance(head, dict) else None


def parse_args(argv=None) -> argparse.Namespace:
    """Parse and check the arguments; imports nothing heavy."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not osp.isfile(args.config):
        parser.error(f'config {args.config}: no such file')
    if not osp.isfile(args.video):
        parser.error(f'video {args.video}: no such file')
    if args.labels is not None:
        args.names = [n.strip() for n in args.labels.split(',') if n.strip()]
        if not args.names:
            parser.error(f'--labels {args.labels!r} gives no class names: '
                         f"pass comma-separated names (--labels "
                         f"'surfing,archery'), or leave --labels out to "
                         f"use the checkpoint's")
    elif args.label_file is not None:
        if not osp.isfile(args.label_file):
            parser.error(f'--label-file {args.label_file}: no such file')
        args.names = args.label_file
    else:
        args.names = None
        if args.checkpoint is None and not _config_class_names(args.config):
            parser.error('without --checkpoint the class names come from '
                         'the command line: pass --labels or --label-file')
    if args.checkpoint is not None:
        args.checkpoint = resolve_checkpoint(parser, args.checkpoint)
    if args.topk < 1:
        parser.error(f'--topk {args.topk}: must be at least 1')
    return args


def rank(args: argparse.Namespace) -> list:
    """(name, probability) pairs, best first; anything the libraries
    print goes to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        from mmengine.logging import MMLogger

        from maxclip_mmaction.apis import (init_zero_shot_recognizer,
                                           rank_class_names)

        # created inside the redirect: its handler writes to stderr
        MMLogger.get_instance('maxclip_demo', log_level='WARNING')
        model = init_zero_shot_recognizer(args.config, args.checkpoint,
                                          args.device)
        names = args.names
        if names is None:
            names = list(getattr(model.cls_head, 'class_names', None) or [])
            if not names:
                sys.exit(f'{args.checkpoint} stores no class names: pass '
                         f'--labels or --label-file')
        return rank_class_names(model, args.video, names, topk=args.topk)


def main(argv=None):
    args = parse_args(argv)
    ranked = rank(args)
    if args.json:
        print(
            json.dumps(
                dict(
                    video=args.video,
                    checkpoint=args.checkpoint,
                    ranking=[
                        dict(rank=i, label=name, score=score)
                        for i, (name, score) in enumerate(ranked, start=1)
                    ]),
                indent=2))
        return
    width = max(len(n) for n, _ in ranked)
    for i, (name, prob) in enumerate(ranked, start=1):
        print(f'{i:>2}. {name:<{width}}  {prob:.4f}')


if __name__ == '__main__':
    main()
