"""Convert a ViFi-CLIP checkpoint into one this package's recognizer loads.

Examples::

    # the ViFi-CLIP baseline (s = 0, mean pooling) for the CLIP in the
    # checkpoint; the token embedding comes from OpenAI's CLIP (download)
    python tools/convert_vificlip.py vifi_clip_k400.pth vificlip_k400.pth \\
        --class-names labels/kinetics_400_labels.csv

    # for one of our configs, CLIP weights from a local file
    python tools/convert_vificlip.py vifi_clip_k400.pth vificlip_k400.pth \\
        --config CONFIG --clip ViT-B-16.pt

The output works with ``tools/test.py CONFIG OUT`` and as ``load_from`` or
``pretrained`` of a MaxCLIP config. The input is read weights-only: a file
holding anything but tensors, plain values and a yacs config is refused.
"""
import argparse
import sys

import maxclip_mmaction  # noqa: F401  (registers modules, applies compat)
from maxclip_mmaction.weights import convert_vificlip_file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='ViFi-CLIP checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint')
    parser.add_argument('--config', help='config of this package whose '
                        'model to write for (default: ViFi-CLIP, s = 0, '
                        'mean pooling, for the CLIP in SRC)')
    parser.add_argument('--clip', help='CLIP weights (file or open_clip '
                        'tag) for the token embedding ViFi-CLIP never '
                        'trains (default: what --config names, else '
                        '"openai")')
    parser.add_argument('--class-names', help='label file (ViFi-CLIP CSV, '
                        'MMAction2 label map, ...) stored in the output')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        ckpt = convert_vificlip_file(args.src, args.dst, config=args.config,
                                     clip=args.clip,
                                     class_names=args.class_names)
    except (ValueError, RuntimeError, TypeError, FileNotFoundError) as err:
        sys.exit(f'convert_vificlip.py: {err}')
    print(f'wrote {args.dst}: {len(ckpt["state_dict"])} tensors')


if __name__ == '__main__':
    main()
