"""Rank any class names for one video.

Example::

    python tools/demo.py configs/maxclip_ssv2_b2n.py demo.mp4 \
        --checkpoint work_dirs/x/best.pth --labels "surfing,archery,yoga"
    python tools/demo.py CONFIG demo.mp4 --label-file my_classes.txt

Without ``--checkpoint`` the config's CLIP weights are used (zero-shot).
"""
import argparse

from mmengine.logging import MMLogger

from maxclip_mmaction.apis import init_zero_shot_recognizer, rank_class_names


def parse_args():
    parser = argparse.ArgumentParser(description='Rank class names for a '
                                     'video')
    parser.add_argument('config', help='model config file')
    parser.add_argument('video', help='video file')
    parser.add_argument('--checkpoint', help='checkpoint (default: the '
                        "config's pretrained CLIP, zero-shot)")
    names = parser.add_mutually_exclusive_group(required=True)
    names.add_argument('--labels', help='comma-separated class names')
    names.add_argument('--label-file', help='label file: one name a line, '
                       'id,name CSV, or SSv2 JSON')
    parser.add_argument('--topk', type=int, default=5)
    parser.add_argument('--device', default='cpu')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.labels is not None:
        names = [n.strip() for n in args.labels.split(',') if n.strip()]
    else:
        names = args.label_file
    # Keep stdout to the ranking: weight-loading INFO goes nowhere.
    MMLogger.get_instance('maxclip_demo', log_level='WARNING')
    model = init_zero_shot_recognizer(args.config, args.checkpoint,
                                      args.device)
    ranked = rank_class_names(model, args.video, names, topk=args.topk)
    width = max(len(n) for n, _ in ranked)
    for rank, (name, prob) in enumerate(ranked, start=1):
        print(f'{rank:>2}. {name:<{width}}  {prob:.4f}')


if __name__ == '__main__':
    main()
