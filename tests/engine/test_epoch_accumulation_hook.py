import os.path as osp
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import OPTIMIZERS
from mmengine.runner import Runner

from maxclip_mmaction.engine.hooks import EpochAccumulationHook
from maxclip_mmaction.engine.hooks.epoch_accumulation_hook import \
    optimizer_steps_per_epoch

SPLITS = osp.join(
    osp.dirname(__file__), '..', '..', '..', 'shared', 'data', 'vifi_splits',
    'datasets_splits')


@OPTIMIZERS.register_module(name='_CountingSGD', force=True)
class CountingSGD(torch.optim.SGD):

    def __init__(self, params, lr):
        super().__init__(params, lr=lr)
        self.steps = 0

    def step(self, closure=None):
        self.steps += 1
        return super().step(closure)


class UnitGradModel(BaseModel):
    """loss = w: every iteration adds exactly 1 to w's gradient."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(()))

    def forward(self, inputs, data_samples=None, mode='loss'):
        return dict(loss=self.w * torch.ones(len(inputs)).mean())


class StepsPerEpoch(Hook):
    """Records the optimizer's step count after every epoch."""

    priority = 'LOWEST'

    def __init__(self):
        self.counts = []

    def after_train_epoch(self, runner):
        self.counts.append(runner.optim_wrapper.optimizer.steps)


def train(tmp_path,
          num_videos,
          batch_size,
          drop_last,
          counts,
          epochs=3,
          hook=True):
    record = StepsPerEpoch()
    runner = Runner(
        model=UnitGradModel(),
        work_dir=str(tmp_path),
        experiment_name=f'accum_{num_videos}_{batch_size}_{drop_last}_'
        f'{counts}_{hook}',
        default_scope='mmaction',
        train_dataloader=dict(
            dataset=[dict(inputs=torch.zeros(1)) for _ in range(num_videos)],
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=batch_size,
            drop_last=drop_last,
            collate_fn=dict(type='default_collate'),
            num_workers=0),
        optim_wrapper=dict(
            optimizer=dict(type='_CountingSGD', lr=1.0),
            accumulative_counts=counts),
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        default_hooks=dict(checkpoint=None, logger=None),
        custom_hooks=[dict(type='EpochAccumulationHook')] if hook else [],
        log_level='WARNING')
    runner.register_hook(record)
    runner.train()
    return record.counts, runner.model.w.item()


@pytest.mark.parametrize(
    'num_videos,batch_size,drop_last,counts',
    [
        (22, 4, True, 2),  # 5 iterations per epoch: one left over
        (22, 4, False, 2),  # 6 iterations: no leftover
        (10, 3, False, 3),  # 4 iterations: one left over
    ])
def test_steps_per_epoch_follow_formula(tmp_path, num_videos, batch_size,
                                        drop_last, counts):
    steps = optimizer_steps_per_epoch(num_videos, 1, batch_size, counts,
                                      drop_last)
    per_epoch, w = train(tmp_path, num_videos, batch_size, drop_last, counts)
    assert per_epoch == [steps, 2 * steps, 3 * steps]
    # SGD with lr 1: each step moves w by the window's summed gradient,
    # 1 when every loss is divided by `counts` and a leftover window never
    # reaches a step.
    assert w == pytest.approx(-3 * steps)


def test_stock_wrapper_carries_the_window_over(tmp_path):
    # Without the hook mmengine counts 15 iterations over the run: steps at
    # 2, 4, ..., 14 and at the last one, not 2 per epoch.
    per_epoch, w = train(tmp_path, 22, 4, True, 2, hook=False)
    assert per_epoch == [2, 5, 8]
    assert w != pytest.approx(-6)


def test_window_larger_than_epoch_is_an_error(tmp_path):
    with pytest.raises(ValueError, match='accumulative_counts=4'):
        train(tmp_path, 6, 2, True, 4)


def test_formula_counts_padding_and_drop_last():
    # 10 videos on 4 ranks: padded to 3 per rank.
    assert optimizer_steps_per_epoch(10, 4, 1, 1, True) == 3
    assert optimizer_steps_per_epoch(10, 4, 2, 1, True) == 1
    assert optimizer_steps_per_epoch(10, 4, 2, 1, False) == 2
    assert optimizer_steps_per_epoch(10, 4, 1, 2, True) == 1
    with pytest.raises(ValueError, match='batch_size'):
        optimizer_steps_per_epoch(10, 4, 0, 1, True)


def count_videos(rel):
    with open(osp.join(SPLITS, rel)) as f:
        return sum(1 for line in f if line.strip())


# The issue's table: ViFi-CLIP (8 GPUs x 4, 2 accumulation steps,
# drop_last) and the former configs (8 GPUs x 8, none, last batch kept).
TABLE = [
    ('hmdb_splits/train1_few_shot_2.txt', 1, 2),
    ('hmdb_splits/train1_few_shot_4.txt', 3, 4),
    ('hmdb_splits/train1_few_shot_8.txt', 6, 7),
    ('hmdb_splits/train1_few_shot_16.txt', 12, 13),
    ('ucf_splits/train1_few_shot_2.txt', 3, 4),
    ('ssv2_splits/train1_few_shot_2.txt', 5, 6),
    ('base2novel_splits/hmdb_splits/fs_base_s1_train.txt', 6, 7),
    ('base2novel_splits/ucf_splits/fs_base_s1_train.txt', 12, 13),
    ('base2novel_splits/ssv2_splits/fs_base_s1_train.txt', 21, 22),
]


@pytest.mark.skipif(not osp.isdir(SPLITS), reason='../shared is absent')
@pytest.mark.parametrize('rel,upstream,former', TABLE)
def test_issue_table(rel, upstream, former):
    n = count_videos(rel)
    assert optimizer_steps_per_epoch(n, 8, 4, 2, True) == upstream
    assert optimizer_steps_per_epoch(n, 8, 8, 1, False) == former


def test_every_wrapper_of_a_dict_is_realigned():
    models = [nn.Linear(1, 1) for _ in range(2)]
    optims = [torch.optim.SGD(m.parameters(), lr=1.0) for m in models]
    wrappers = dict(
        a=OptimWrapper(optims[0], accumulative_counts=3),
        b=OptimWrapper(optims[1], accumulative_counts=3))
    for wrapper, model in zip(wrappers.values(), models):
        wrapper.initialize_count_status(model, 0, 10)
        wrapper.update_params(model(torch.ones(1, 1)).sum())  # 1 of 3
    runner = SimpleNamespace(optim_wrapper=OptimWrapperDict(**wrappers))
    EpochAccumulationHook().before_train_epoch(runner)
    for wrapper, model in zip(wrappers.values(), models):
        assert model.weight.grad is None  # partial window discarded
        assert wrapper._inner_count == 3 and wrapper._max_counts == -1
        assert not wrapper.should_sync()  # a fresh window of 3 starts
