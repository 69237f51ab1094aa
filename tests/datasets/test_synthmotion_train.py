"""SynthMotion is learnable: the tiny config learns motion through the
Runner, beyond what colour and shape alone can give."""
import os.path as osp
from collections import Counter
from math import comb

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from maxclip_mmaction.synthmotion import make_synthmotion
from maxclip_mmaction import synthmotion as sm

CONFIG = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', 'synthmotion',
    'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py')


def motion_blind_top1(labels, specs, alpha=0.01):
    """Top-1 that a model blind to motion exceeds with probability < alpha.

    It knows colour and shape (one frame shows them) and can only guess
    among the motions of that colour+shape: each video of a group of k
    classes is right with probability 1/k, independently.
    """
    counts = Counter(labels)
    groups = Counter()  # (colour, shape) -> [videos, classes]
    for label, (colour, shape, _) in enumerate(specs):
        groups[colour, shape] += np.array([counts[label], 1])
    dist = np.ones(1)  # of the number of right answers
    for n, k in groups.values():
        dist = np.convolve(dist, [
            comb(n, i) * (1 / k)**i * (1 - 1 / k)**(n - i)
            for i in range(n + 1)
        ])
    at_least = dist[::-1].cumsum()[::-1]  # P(right >= i)
    return (np.argmax(at_least < alpha) - 1) / len(labels)


def test_tiny_maxclip_learns_motion(tmp_path):
    # 24 val videos a class (192 base): on a small list a model that
    # ignores motion scores far above 3/8 by luck (1 % of the time above
    # 0.56 on conftest's 32 base videos, above 0.46 on these 192)
    root = str(tmp_path / 'synthmotion')
    make_synthmotion(root, train_per_class=16, val_per_class=24)
    cfg = Config.fromfile(CONFIG)  # all 24 epochs, as shipped
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].dataset.data_root = root
        cfg[key].num_workers = 0
    cfg.work_dir = str(tmp_path / 'work')
    cfg.experiment_name = tmp_path.name  # not another runner's logger
    cfg.train_cfg.val_begin = 100  # test once at the end
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=100)
    cfg.randomness = dict(seed=0)
    torch.manual_seed(0)
    runner = Runner.from_cfg(cfg)
    runner.train()
    # ClassNamesHook put the base names back after training
    assert runner.model.cls_head.class_names == [
        sm.class_name(s) for s in sm.BASE_CLASSES
    ]
    metrics = runner.test()
    print(metrics)
    assert set(metrics) >= {'hm', 'base/top1', 'novel/top1'}
    # ClassNamesHook gave the head the union of base and novel names
    assert len(runner.model.cls_head.class_names) == 12
    # One frame shows colour and shape, not motion: the best one-frame
    # rule answers the commonest class of the colour+shape, top-1 3/8 here.
    # Beating that by more than luck needs motion. Measured, seeds 0-9:
    # 0.536-0.682, except seed 2 at 0.380 (its novel top-1 at chance, a
    # run that never left the start); the bound: more than 88 of 192,
    # 0.458.
    with open(osp.join(root, 'annotations', 'val_base.txt')) as f:
        labels = [int(line.split()[-1]) for line in f]
    assert sm.single_frame_accuracy(labels, sm.BASE_CLASSES) == 3 / 8
    bound = motion_blind_top1(labels, sm.BASE_CLASSES)
    assert metrics['base/top1'] > bound, (metrics, bound)
