"""WiSE-FT: mix a fine-tuned checkpoint with zero-shot CLIP in weight space.

``(1 - alpha) * zero-shot + alpha * fine-tuned``, tensor by tensor; alpha
0 gives the zero-shot weights, 1 the fine-tuned ones, exactly.

Examples::

    # 0.7 fine-tuned + 0.3 the CLIP its config fine-tuned from
    # (pretrained / clip_arch in the config the Runner saved in it)
    python tools/wise_ft.py work_dirs/k400/epoch_10.pth wise_0.7.pth \\
        --alpha 0.7

    # OpenAI's CLIP by tag (open_clip downloads it)
    python tools/wise_ft.py epoch_10.pth wise.pth --alpha 0.7 \\
        --zero-shot openai --arch ViT-B-16

    # zero-shot weights from a file (CLIP state dict, OpenAI .pt archive,
    # or a checkpoint of this package)
    python tools/wise_ft.py epoch_10.pth wise.pth --alpha 0.5 \\
        --zero-shot ViT-B-16.pt
"""
import argparse
import sys

import maxclip_mmaction  # noqa: F401  (registers modules, applies compat)
from maxclip_mmaction.weights import wise_ft_file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('fine_tuned', help='checkpoint of this package')
    parser.add_argument('dst', help='output checkpoint')
    parser.add_argument('--alpha', type=float, required=True,
                        help='weight of the fine-tuned model, in [0, 1]')
    parser.add_argument('--zero-shot', help='CLIP weights: a file or an '
                        'open_clip tag (default: the pretrained CLIP of '
                        'the config saved in the checkpoint)')
    parser.add_argument('--arch', help='open_clip model name for a tag '
                        '(default: the saved config\'s clip_arch)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        wise_ft_file(args.fine_tuned, args.dst, args.alpha,
                     zero_shot=args.zero_shot, arch=args.arch)
    except (ValueError, RuntimeError, TypeError, FileNotFoundError) as err:
        sys.exit(f'wise_ft.py: {err}')
    print(f'wrote {args.dst} (alpha {args.alpha})')


if __name__ == '__main__':
    main()
