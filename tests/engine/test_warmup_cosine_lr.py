"""WarmupCosineLR against an independent copy of timm's cosine formula.

timm is not a dependency, so ``timm_lr`` below re-derives
``CosineLRScheduler._get_lr`` for ViFi-CLIP's arguments (utils/optimizer.py:
``t_initial`` = all iterations, ``warmup_t`` = warmup iterations,
``lr_min`` = lr / 100, ``warmup_lr_init=0``, ``cycle_limit=1``, defaults
otherwise: ``warmup_prefix=False``, ``cycle_mul=1``, ``decay_rate=1``).
"""
import math

import pytest
import torch
from mmaction.registry import PARAM_SCHEDULERS
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner

from maxclip_mmaction.engine.schedulers import WarmupCosineLR, \
    warmup_cosine_lr


def timm_lr(t, base_lr, t_initial, warmup_t, lr_min, warmup_lr_init=0.):
    """timm ``CosineLRScheduler._get_lr(t)`` with ViFi-CLIP's settings."""
    if t < warmup_t:
        warmup_step = (base_lr - warmup_lr_init) / warmup_t
        return warmup_lr_init + t * warmup_step
    # warmup_prefix=False: t is not shifted by the warmup.
    cycle = t // t_initial
    t_curr = t - t_initial * cycle
    if cycle < 1:  # cycle_limit=1
        return lr_min + 0.5 * (base_lr - lr_min) * (
            1 + math.cos(math.pi * t_curr / t_initial))
    return lr_min


def make_wrapper(*lrs):
    """OptimWrapper over AdamW with one parameter group per lr."""
    groups = [{
        'params': [torch.nn.Parameter(torch.zeros(2))],
        'lr': lr
    } for lr in lrs]
    return OptimWrapper(torch.optim.AdamW(groups, lr=lrs[0]))


def build(wrapper, epoch_length, **kwargs):
    """Build from an epoch-based config, as the Runner does."""
    cfg = dict(type='WarmupCosineLR', by_epoch=True,
               convert_to_iter_based=True, **kwargs)
    return PARAM_SCHEDULERS.build(
        cfg, default_args=dict(optimizer=wrapper, epoch_length=epoch_length))


def run(wrapper, scheduler, steps):
    """Lr of group 0 seen by each of ``steps`` optimizer updates."""
    lrs = []
    for _ in range(steps):
        lrs.append(wrapper.param_groups[0]['lr'])
        wrapper.step()  # the optimizer first, as ParamSchedulerHook does
        scheduler.step()
    return lrs


@pytest.mark.parametrize('epochs,warmup,epoch_length', [
    (11, 5, 7),  # base-to-novel
    (50, 5, 3),  # few-shot
    (30, 5, 5),  # supervised
    (10, 5, 13),  # zero-shot
    (4, 0, 6),  # no warmup: a plain cosine from lr
])
def test_matches_timm_step_by_step(epochs, warmup, epoch_length):
    lr = 2e-6
    wrapper = make_wrapper(lr)
    scheduler = build(
        wrapper, epoch_length, warmup=warmup, begin=0, end=epochs)
    total, warm = epochs * epoch_length, warmup * epoch_length
    assert (scheduler.begin, scheduler.end, scheduler.warmup) == \
        (0, total, warm)
    assert not scheduler.by_epoch
    lrs = run(wrapper, scheduler, total)
    expected = [timm_lr(t, lr, total, warm, lr / 100) for t in range(total)]
    assert lrs == pytest.approx(expected, rel=1e-12, abs=0)
    if warm:
        assert lrs[0] == 0
        assert lrs[warm - 1] == pytest.approx(lr * (warm - 1) / warm)
        # The jump: from the warmup's last value to the whole-run cosine
        # at t = warm, below lr (the cosine does not restart there).
        at_warm = lr / 100 + 0.5 * (lr - lr / 100) * (
            1 + math.cos(math.pi * warm / total))
        assert lrs[warm] == pytest.approx(at_warm, rel=1e-12)
        assert lrs[warm] < lr
    else:
        assert lrs[0] == lr
    assert all(b < a for a, b in zip(lrs[warm:], lrs[warm + 1:]))
    assert lr / 100 < lrs[-1] < lr / 50


def test_by_epoch_without_conversion():
    lr = 1e-3
    wrapper = make_wrapper(lr)
    scheduler = WarmupCosineLR(wrapper, warmup=2, begin=0, end=10)
    lrs = run(wrapper, scheduler, 10)
    assert lrs == pytest.approx(
        [timm_lr(t, lr, 10, 2, lr / 100) for t in range(10)], rel=1e-12)


def test_each_group_follows_its_own_lr():
    wrapper = make_wrapper(1e-3, 4e-5)
    scheduler = build(wrapper, 4, warmup=1, begin=0, end=5)
    for t in range(20):
        # OptimWrapper appends a third group (the base lr, for logging).
        got = [g['lr'] for g in wrapper.param_groups[:2]]
        assert got == pytest.approx(
            [timm_lr(t, b, 20, 4, b / 100) for b in (1e-3, 4e-5)],
            rel=1e-12)
        wrapper.step()
        scheduler.step()


def test_warmup_start_and_floor_ratios():
    lr = 1e-3
    wrapper = make_wrapper(lr)
    scheduler = build(wrapper, 5, warmup=2, begin=0, end=6,
                      warmup_start_ratio=0.1, eta_min_ratio=0.05)
    lrs = run(wrapper, scheduler, 30)
    assert lrs[0] == pytest.approx(0.1 * lr)
    assert lrs == pytest.approx(
        [timm_lr(t, lr, 30, 10, 0.05 * lr, 0.1 * lr) for t in range(30)],
        rel=1e-12)


def test_begin_offsets_the_schedule():
    """Steps before ``begin`` keep the lr; t counts from ``begin``."""
    lr = 1e-3
    wrapper = make_wrapper(lr)
    scheduler = build(wrapper, 2, warmup=1, begin=1, end=4)
    lrs = run(wrapper, scheduler, 8)
    assert lrs[:2] == [lr, lr]
    assert lrs[2:] == pytest.approx(
        [timm_lr(t, lr, 6, 2, lr / 100) for t in range(6)], rel=1e-12)


@pytest.mark.parametrize('k', [3, 20, 41])  # in warmup, at its end, after
def test_resume_continues_the_curve(k):
    lr, epoch_length = 2e-6, 4
    wrapper = make_wrapper(lr)
    cfg = dict(warmup=5, begin=0, end=11)
    scheduler = build(wrapper, epoch_length, **cfg)
    run(wrapper, scheduler, k)
    ckpt = dict(optimizer=wrapper.state_dict(),
                scheduler=scheduler.state_dict())
    assert 'optimizer' not in ckpt['scheduler']

    # A fresh run, as Runner.resume builds it: new optimizer and scheduler
    # (whose __init__ already steps once), then both state dicts loaded.
    resumed = make_wrapper(lr)
    resumed_scheduler = build(resumed, epoch_length, **cfg)
    resumed.load_state_dict(ckpt['optimizer'])
    resumed_scheduler.load_state_dict(ckpt['scheduler'])
    assert resumed_scheduler.last_step == scheduler.last_step == k

    rest = 44 - k
    assert run(resumed, resumed_scheduler, rest) == \
        run(wrapper, scheduler, rest)


def test_invalid_arguments():
    wrapper = make_wrapper(1e-3)
    with pytest.raises(ValueError, match='finite'):
        WarmupCosineLR(wrapper, warmup=1)  # end defaults to mmengine's INF
    with pytest.raises(ValueError, match='warmup'):
        WarmupCosineLR(wrapper, warmup=11, begin=0, end=10)
    with pytest.raises(ValueError, match='recipe_length'):
        WarmupCosineLR(wrapper, warmup=12, recipe_length=11, end=2)


def test_recipe_length_scales_the_warmup_to_the_run():
    """5 warmup epochs of an 11-epoch recipe, run for 2 epochs: the
    warmup is 5 x 2 / 11 epochs and the cosine spans the 2 epochs."""
    lr, epoch_length = 1e-3, 7
    wrapper = make_wrapper(lr)
    scheduler = build(wrapper, epoch_length, warmup=5, recipe_length=11,
                      begin=0, end=2)
    warm = int(5 * 2 / 11 * epoch_length)
    assert (scheduler.end, scheduler.warmup) == (14, warm) == (14, 6)
    lrs = run(wrapper, scheduler, 14)
    assert lrs == pytest.approx(
        [timm_lr(t, lr, 14, warm, lr / 100) for t in range(14)], rel=1e-12)


@pytest.mark.parametrize('epochs,warmup,epoch_length', [(11, 5, 7),
                                                        (50, 5, 3),
                                                        (30, 5, 5),
                                                        (10, 5, 13)])
def test_recipe_length_of_the_run_keeps_the_recipe(epochs, warmup,
                                                   epoch_length):
    wrapper = make_wrapper(1e-3)
    scheduler = build(wrapper, epoch_length, warmup=warmup,
                      recipe_length=epochs, begin=0, end=epochs)
    assert scheduler.warmup == warmup * epoch_length


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(inputs)
        return dict(loss=out.pow(2).mean()) if mode == 'loss' else out


class LrRecorder(Hook):

    def __init__(self):
        self.lrs = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.lrs.append(runner.optim_wrapper.param_groups[0]['lr'])


def train_toy(tmp_path, max_epochs, scheduler, name):
    """Train ToyModel for ``max_epochs`` of 4 iterations; the lrs."""
    data = torch.utils.data.TensorDataset(torch.randn(8, 2))
    recorder = LrRecorder()
    runner = Runner(
        model=ToyModel(), work_dir=str(tmp_path / name),
        experiment_name=f'{tmp_path.name}_{name}', default_scope='mmaction',
        train_dataloader=torch.utils.data.DataLoader(data, batch_size=2),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        param_scheduler=scheduler, custom_hooks=[recorder],
        default_hooks=dict(logger=None, checkpoint=None))
    runner.train()
    return recorder.lrs


def test_a_run_overriding_max_epochs_decays_at_its_own_end(tmp_path):
    """``end`` left to the runner: the 11-epoch recipe's schedule run for
    2 epochs (``--cfg-options train_cfg.max_epochs=2``) ends at the floor
    after 2 epochs, not at epoch 11."""
    cfg = dict(type='WarmupCosineLR', warmup=5, recipe_length=11,
               eta_min_ratio=0.01, by_epoch=True, begin=0,
               convert_to_iter_based=True)
    lrs = train_toy(tmp_path, 2, cfg, 'short')
    total, warm = 8, int(5 * 2 / 11 * 4)
    assert lrs == pytest.approx(
        [timm_lr(t, 0.1, total, warm, 0.001) for t in range(total)],
        rel=1e-12)
    # one step before the end the cosine is within sin^2(pi / 16) of it
    assert lrs[-1] < 0.001 + 0.04 * 0.1


def test_an_end_other_than_the_runs_is_logged(tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(warmup_cosine_lr, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    cfg = dict(type='WarmupCosineLR', warmup=1, by_epoch=True, begin=0,
               end=11, convert_to_iter_based=True)
    train_toy(tmp_path, 2, cfg, 'fixed_end')
    assert len(logged) == 1, logged
    assert 'ends at iteration 44 but the train loop runs 8' in logged[0]
    assert 'train_cfg.max_epochs' in logged[0]
    logged.clear()
    train_toy(tmp_path, 2, dict(cfg, end=2), 'matching_end')
    assert logged == []


def test_warmup_prefix_starts_the_cosine_after_the_warmup():
    """timm's warmup_prefix=True: a LinearLR warmup from 0.1 x lr, then a
    cosine from the full lr over the remaining steps, as a single
    schedule that follows the run's length."""
    lr, epoch_length = 5e-4, 4
    wrapper = make_wrapper(lr)
    scheduler = build(wrapper, epoch_length, warmup=1, recipe_length=24,
                      warmup_prefix=True, warmup_start_ratio=0.1,
                      begin=0, end=24)
    lrs = run(wrapper, scheduler, 96)
    assert lrs[:4] == pytest.approx([lr * (0.1 + 0.9 * t / 4)
                                     for t in range(4)], rel=1e-12)
    assert lrs[4] == pytest.approx(lr, rel=1e-12)  # the cosine's start
    assert lrs[4:] == pytest.approx(
        [lr / 100 + 0.5 * (lr - lr / 100) * (1 + math.cos(math.pi * t / 92))
         for t in range(92)], rel=1e-12)
    # one epoch of the 24-epoch recipe: warmup 1/24 epoch = 0 iterations
    short = build(make_wrapper(lr), epoch_length, warmup=1,
                  recipe_length=24, warmup_prefix=True, begin=0, end=1)
    assert (short.warmup, short.end) == (0, 4)
    with pytest.raises(ValueError, match='warmup_prefix'):
        WarmupCosineLR(make_wrapper(lr), warmup=4, warmup_prefix=True,
                       end=4)
