"""Average frame-to-frame cosine similarity of frame embeddings, per model,
over a dataset's videos (the paper's Figure 2), saved as side-by-side
heatmaps (``similarity.png``) and raw matrices (``similarity.npz``).

Example (three SynthMotion runs: mean, max, max + token pool)::

    python tools/analysis/similarity_matrix.py \\
        --model CFG_MEAN CKPT_MEAN --model CFG_MAX CKPT_MAX \\
        --model CFG_OURS CKPT_OURS --labels mean max 'max + tokens' \\
        --split val --out-dir work_dirs/similarity
"""
import argparse
import os
import os.path as osp

import numpy as np
from mmengine.config import DictAction
from mmengine.runner import Runner
from mmengine.utils import ProgressBar

import maxclip_mmaction  # noqa: F401  (registers modules, applies compat)
from maxclip_mmaction.analysis import (adjacent_similarity, average_similarity,
                                       frame_labels, load_frame_model,
                                       plot_similarity)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--model',
        nargs=2,
        action='append',
        required=True,
        metavar=('CONFIG', 'CHECKPOINT'),
        help='a config and its checkpoint (repeat for more models; '
        'CHECKPOINT "none" loads the CLIP weights the config\'s '
        'pretrained names, or keeps a random init if it names none)')
    parser.add_argument('--labels', nargs='+', help='panel titles')
    parser.add_argument(
        '--split',
        choices=['val', 'test'],
        default='val',
        help='which dataloader of each config to run')
    parser.add_argument(
        '--max-videos',
        type=int,
        default=None,
        help='stop after this many videos')
    parser.add_argument('--out-dir', default='work_dirs/similarity')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--num-workers',
        type=int,
        default=None,
        help='override the dataloader workers')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=None,
        help='override the dataloader batch size')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of every config, e.g. '
        'test_dataloader.dataset.data_root=data/synthmotion')
    return parser.parse_args(argv)


def build_loader(cfg, split: str, args):
    loader_cfg = cfg.get(f'{split}_dataloader')
    if loader_cfg is None:
        raise ValueError(f'{cfg.filename}: no {split}_dataloader')
    for key in ('num_workers', 'batch_size'):
        if getattr(args, key) is not None:
            loader_cfg[key] = getattr(args, key)
    if loader_cfg.get('num_workers', 0) == 0:
        loader_cfg['persistent_workers'] = False
    return Runner.build_dataloader(loader_cfg)


def run_model(config: str, checkpoint: str, args):
    ckpt = None if checkpoint.lower() == 'none' else checkpoint
    model = load_frame_model(config, ckpt, args.device, args.cfg_options)
    loader = build_loader(model.cfg, args.split, args)
    total = len(loader.dataset)
    if args.max_videos is not None:
        total = min(total, args.max_videos)
    print(f'{config}: {total} videos')
    bar = ProgressBar(total)
    matrix, skipped = average_similarity(model, loader, args.max_videos,
                                         bar.update)
    print()
    if skipped:
        print(f'{config}: skipped {skipped} of {total} videos that failed '
              f'to decode (see the dataset\'s warnings)')
    backbone = model.backbone
    names = frame_labels(backbone.num_frames, backbone.pool_layers)
    return matrix, names, skipped


def main(argv=None):
    args = parse_args(argv)
    labels = args.labels or [
        osp.splitext(osp.basename(c))[0] for c, _ in args.model
    ]
    if len(labels) != len(args.model):
        raise ValueError(f'--labels gives {len(labels)} titles for '
                         f'{len(args.model)} --model pairs')
    matrices, frames, titles, skips = [], [], [], []
    for (config, checkpoint), label in zip(args.model, labels):
        matrix, names, skipped = run_model(config, checkpoint, args)
        num_frames = sum(not n.startswith('p') for n in names)
        adjacent = adjacent_similarity(matrix, num_frames)
        print(f'{label}: T\'={len(names)}, mean similarity of adjacent '
              f'input frames {adjacent:.4f}')
        matrices.append(matrix)
        frames.append(names)
        skips.append(skipped)
        titles.append(f'{label}\nadjacent frames: {adjacent:.3f}')
    os.makedirs(args.out_dir, exist_ok=True)
    png = osp.join(args.out_dir, 'similarity.png')
    npz = osp.join(args.out_dir, 'similarity.npz')
    plot_similarity(matrices, frames, titles, png)
    arrays = {f'matrix_{i}': m for i, m in enumerate(matrices)}
    arrays.update({f'frames_{i}': np.array(f) for i, f in enumerate(frames)})
    np.savez(npz, names=np.array(labels), skipped=np.array(skips), **arrays)
    print(f'wrote {png} and {npz}')


if __name__ == '__main__':
    main()
