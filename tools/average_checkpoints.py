"""Average the weights of several checkpoints of one model.

Example::

    # the last three epochs
    python tools/average_checkpoints.py work_dirs/run/epoch_{9,10,11}.pth \\
        --out work_dirs/run/avg_9-11.pth

Floating-point tensors are averaged; integer buffers and the stored class
names come from the last checkpoint, and so does ``meta``. Checkpoints of
different architectures are refused, naming the first differing key.
"""
import argparse
import sys

import maxclip_mmaction  # noqa: F401  (registers modules, applies compat)
from maxclip_mmaction.weights import average_checkpoint_files


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoints', nargs='+', help='two or more')
    parser.add_argument('--out', required=True, help='output checkpoint')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        average_checkpoint_files(args.checkpoints, args.out)
    except (ValueError, RuntimeError, TypeError, FileNotFoundError) as err:
        sys.exit(f'average_checkpoints.py: {err}')
    print(f'wrote {args.out}: the mean of {len(args.checkpoints)} '
          f'checkpoints')


if __name__ == '__main__':
    main()
