"""WarmupCosineLR: ViFi-CLIP's timm ``CosineLRScheduler`` for mmengine."""
import logging
import math
from typing import Optional

from mmaction.registry import PARAM_SCHEDULERS
from mmengine.logging import MessageHub, print_log
from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import INF, _ParamScheduler


@PARAM_SCHEDULERS.register_module()
class WarmupCosineLR(LRSchedulerMixin, _ParamScheduler):
    r"""Linear warmup inside one cosine that spans the whole schedule.

    This is timm's ``CosineLRScheduler`` as ViFi-CLIP builds it
    (ViFi-CLIP utils/optimizer.py L49-L58: ``t_initial`` = all steps,
    ``warmup_t`` = warmup steps, ``warmup_prefix=False``,
    ``cycle_limit=1``, ``lr_min`` = lr / 100, ``warmup_lr_init=0``).
    With :math:`t` the step since ``begin``, :math:`T = end - begin`,
    :math:`W` = ``warmup`` and :math:`\eta` the base lr of a parameter
    group:

    .. math::
        lr_t = \begin{cases}
            \eta_0 + t (\eta - \eta_0) / W, & t < W \\
            \eta_{min} + \frac{1}{2} (\eta - \eta_{min})
                (1 + \cos(\pi t / T)), & t \ge W
        \end{cases}

    with :math:`\eta_0` = ``warmup_start_ratio`` x :math:`\eta` and
    :math:`\eta_{min}` = ``eta_min_ratio`` x :math:`\eta`. The cosine is
    measured from ``begin``, not from the end of the warmup, so after a
    warmup the lr never reaches :math:`\eta`: at :math:`t = W` it jumps
    from the last warmup value to the cosine's value there (b2n, 5 of 11
    epochs: from ~:math:`\eta` down to 0.58 :math:`\eta`).

    Why hand-written: mmengine has no schedule whose cosine spans the
    warmup. ``CosineAnnealingLR(begin=warmup)`` restarts the cosine at the
    full lr after the warmup (b2n: 1.7x ViFi-CLIP's lr right after it,
    2.3x on average over the rest of the run),
    and running ``LinearLR`` and ``CosineAnnealingLR`` over the same steps
    multiplies their factors instead of switching from one to the other.
    ``LinearLR`` cannot start at 0 either (its factor is multiplicative).

    The value is computed in closed form from ``last_step`` and the base
    lr, not chained on the current lr: resuming needs only the state
    ``_ParamScheduler.state_dict`` already saves, and the scheduler
    overwrites whatever another scheduler set on the same steps.

    ViFi-CLIP calls ``step_update(t)`` (main.py L169) after the optimizer
    step of iteration ``t``, so each update uses the value of the
    previous update's ``t`` (the first one uses 0); here iteration ``t``
    uses the value for ``t``, as with every mmengine scheduler: the same
    curve, one optimizer step earlier.

    The schedule follows the run: leave ``end`` out of the config and
    mmengine's runner sets it to the train loop's ``max_epochs`` (or
    ``max_iters`` when ``by_epoch=False``) before building the scheduler,
    so ``--cfg-options train_cfg.max_epochs=N`` moves the cosine's end to
    N. With ``recipe_length`` the warmup moves with it: ``warmup`` is
    given for a run of ``recipe_length`` and scales by
    ``(end - begin) / recipe_length``, so a 2-epoch run of the 11-epoch
    base-to-novel recipe warms up for 5 x 2 / 11 epochs. Scaling keeps the
    recipe's shape (the share of the run spent warming up and where the
    lr jumps to the cosine); a fixed warmup would fill a short run or
    vanish in a long one. An ``end`` that differs from the loop's length
    is logged as a warning at the first step (``tools/train.py`` refuses
    such a config before building anything).

    Args:
        optimizer (Optimizer or OptimWrapper): Wrapped optimizer.
        warmup (float): Warmup length, in the unit of ``begin``/``end``
            (epochs, converted to iterations with
            ``convert_to_iter_based=True``), for a schedule of
            ``recipe_length``. 0 disables the warmup. Defaults to 0.
        recipe_length (float, optional): Schedule length (``end - begin``,
            same unit) that ``warmup`` is given for; None takes ``warmup``
            as it is whatever the length. Defaults to None.
        warmup_prefix (bool): timm's option of that name: the cosine
            starts after the warmup, at the full lr, and spans the rest
            (``end - begin - warmup``), as a ``LinearLR`` warmup followed
            by a ``CosineAnnealingLR`` over the remaining steps does, but
            computed in closed form and following the run's length.
            ViFi-CLIP's recipes leave it False. Defaults to False.
        warmup_start_ratio (float): Lr at the first step, as a fraction of
            the base lr (timm's ``warmup_lr_init`` / lr). Defaults to 0.
        eta_min_ratio (float): Floor of the cosine, as a fraction of the
            base lr (timm's ``lr_min`` / lr). Defaults to 0.01.
        begin (int): Step at which the schedule starts. Defaults to 0.
        end (int): Step at which it stops; the cosine spans
            ``end - begin`` and ``end`` must be finite (the runner sets it
            to the train loop's length when the config leaves it out).
        last_step (int): Index of the last step, to resume without a
            state dict. Defaults to -1.
        by_epoch (bool): Whether the steps are epochs. Defaults to True.
        verbose (bool): Whether to log the lr at each update.
            Defaults to False.
    """

    def __init__(self,
                 optimizer,
                 warmup: float = 0,
                 recipe_length: Optional[float] = None,
                 warmup_prefix: bool = False,
                 warmup_start_ratio: float = 0.,
                 eta_min_ratio: float = 0.01,
                 begin: int = 0,
                 end: int = INF,
                 last_step: int = -1,
                 by_epoch: bool = True,
                 verbose: bool = False):
        if end >= INF:
            raise ValueError(
                'WarmupCosineLR needs a finite `end`: the cosine spans end '
                '- begin steps. In a config, leave `end` out and the runner '
                'sets it to train_cfg.max_epochs (max_iters)')
        warmup = _scaled_warmup(warmup, recipe_length, end - begin)
        if warmup_prefix and warmup >= end - begin:
            raise ValueError(f'warmup_prefix needs a cosine after the '
                             f'warmup: warmup {warmup} < end - begin = '
                             f'{end - begin}')
        self.warmup = warmup
        self.warmup_prefix = warmup_prefix
        self.warmup_start_ratio = warmup_start_ratio
        self.eta_min_ratio = eta_min_ratio
        self._length_checked = True  # not in __init__'s own first step
        super().__init__(
            optimizer,
            begin=begin,
            end=end,
            last_step=last_step,
            by_epoch=by_epoch,
            verbose=verbose)
        self._length_checked = False

    @classmethod
    def build_iter_from_epoch(cls,
                              *args,
                              warmup: float = 0,
                              recipe_length: Optional[float] = None,
                              begin: int = 0,
                              end: int = INF,
                              by_epoch: bool = True,
                              epoch_length=None,
                              **kwargs):
        """Build an iteration-based instance from epoch-based arguments.

        Like mmengine's own schedulers, but ``warmup`` is converted too,
        after scaling it to the run in epochs. ``int()`` truncates as
        ViFi-CLIP's ``int(WARMUP_EPOCHS * n_iter_per_epoch)`` does
        (utils/optimizer.py L51).
        """
        assert by_epoch, 'Only epoch-based kwargs whose `by_epoch=True` ' \
                         'can be converted to iter-based.'
        assert epoch_length is not None and epoch_length > 0, \
            f'`epoch_length` must be a positive integer, ' \
            f'but got {epoch_length}.'
        if end < INF:
            warmup = _scaled_warmup(warmup, recipe_length, end - begin)
            end = int(end * epoch_length)
        return cls(
            *args,
            warmup=int(warmup * epoch_length),
            begin=int(begin * epoch_length),
            end=end,
            by_epoch=False,
            **kwargs)

    def step(self):
        """Step, first checking once that the schedule spans the run."""
        if not self._length_checked:
            self._length_checked = True
            self._warn_if_not_the_runs_length()
        super().step()

    def state_dict(self) -> dict:
        """mmengine's state, without the once-per-process check flag."""
        state = super().state_dict()
        state.pop('_length_checked', None)
        return state

    def _warn_if_not_the_runs_length(self):
        """Warn when ``end`` is not the train loop's length (an ``end``
        written into the config does not follow ``--cfg-options
        train_cfg.max_epochs``). mmengine's RuntimeInfoHook records the
        loop's length before the first step; outside a runner there is
        none and nothing is checked."""
        hub = MessageHub.get_current_instance()
        key = 'max_epochs' if self.by_epoch else 'max_iters'
        length = hub.get_info(key)
        if not isinstance(length, int) or length == self.end:
            return
        unit = 'epoch' if self.by_epoch else 'iteration'
        print_log(
            f'WarmupCosineLR ends at {unit} {self.end} but the train loop '
            f'runs {length} {unit}s, so the lr does not follow the '
            f'cosine to its floor at the end of the run. Leave `end` out '
            f'of param_scheduler (the runner then sets it to '
            f'train_cfg.max_epochs) and give the warmup with '
            f'recipe_length, or set param_scheduler end to '
            f'train_cfg.max_epochs.',
            logger='current',
            level=logging.WARNING)

    def _get_value(self):
        """Closed-form lr of every parameter group at ``last_step``."""
        # _ParamScheduler counts last_step from ``begin`` (it only grows
        # while begin <= global step < end), so it is already t.
        t = self.last_step
        total = self.end - self.begin
        # warmup_prefix: the cosine's own step and length start after it
        shift = self.warmup if self.warmup_prefix else 0
        values = []
        for base in self.base_values:
            if t < self.warmup:
                start = base * self.warmup_start_ratio
                values.append(start + t * (base - start) / self.warmup)
            else:
                eta_min = base * self.eta_min_ratio
                cosine = 1 + math.cos(math.pi * min(t - shift, total - shift) /
                                      (total - shift))
                values.append(eta_min + 0.5 * (base - eta_min) * cosine)
        return values


def _scaled_warmup(warmup: float, recipe_length: Optional[float],
                   length: float) -> float:
    """``warmup`` for a run of ``length``, given for ``recipe_length``."""
    if recipe_length is None:
        if not 0 <= warmup <= length:
            raise ValueError(f'warmup must lie in [0, end - begin = '
                             f'{length}], got {warmup}')
        return warmup
    if not 0 < recipe_length or not 0 <= warmup <= recipe_length:
        raise ValueError(f'warmup must lie in [0, recipe_length] and '
                         f'recipe_length be positive, got warmup={warmup}, '
                         f'recipe_length={recipe_length}')
    # warmup * length first: the recipe's own length gives warmup exactly
    return warmup * length / recipe_length
