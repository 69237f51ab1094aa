"""Write SynthMotion, the small procedurally generated video dataset.

    python tools/data/make_synthmotion.py [--root data/synthmotion]

Seeded and skipped when ``root`` already holds a complete copy made with
the same arguments. See ``docs/data/synthmotion.md``.
"""
import argparse
import time

from maxclip_mmaction.synthmotion import make_synthmotion


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', default='data/synthmotion')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--train-per-class', type=int, default=20)
    parser.add_argument('--val-per-class', type=int, default=6)
    parser.add_argument('--num-frames', type=int, default=20)
    parser.add_argument('--size', type=int, default=64)
    parser.add_argument(
        '--force', action='store_true', help='regenerate even if complete')
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    info = make_synthmotion(
        args.root,
        seed=args.seed,
        train_per_class=args.train_per_class,
        val_per_class=args.val_per_class,
        num_frames=args.num_frames,
        size=args.size,
        force=args.force)
    state = 'already complete' if info['skipped'] else \
        f'written in {time.time() - start:.1f} s'
    print(f"SynthMotion at {args.root}: {info['num_videos']} videos, "
          f"{len(info['classes'])} classes, {state}")


if __name__ == '__main__':
    main()
