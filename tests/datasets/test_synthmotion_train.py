"""SynthMotion is learnable: the tiny config trains through the Runner."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner import Runner

from maxclip_mmaction.datasets import synthmotion as sm

CONFIG = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', 'synthmotion',
    'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py')


def test_tiny_maxclip_learns_base_classes(synthmotion_root, tmp_path):
    root = synthmotion_root  # 16 train / 4 val videos a class
    cfg = Config.fromfile(CONFIG)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].dataset.data_root = root
        cfg[key].num_workers = 0
    cfg.work_dir = str(tmp_path / 'work')
    cfg.experiment_name = tmp_path.name  # not another runner's logger
    cfg.train_cfg.val_interval = 100  # test once at the end
    # 8 of the config's 24 epochs (the cosine schedule shortened to match):
    # enough to clear the bound, the full run is the quickstart's test.
    cfg.train_cfg.max_epochs = 8
    cfg.param_scheduler[1].update(T_max=7, end=8)
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
    chance = 1 / len(sm.BASE_CLASSES)
    assert metrics['base/top1'] >= 2 * chance
