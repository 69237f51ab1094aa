"""WarmupCosineLR: ViFi-CLIP's timm ``CosineLRScheduler`` for mmengine."""
import math

from mmaction.registry import PARAM_SCHEDULERS
from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import INF, _ParamScheduler


@PARAM_SCHEDULERS.register_module()
class WarmupCosineLR(LRSchedulerMixin, _ParamScheduler):
    r"""Linear warmup inside one cosine that spans the whole schedule.

    This is timm's ``CosineLRScheduler`` as ViFi-CLIP builds it
    (``t_initial`` = all steps, ``warmup_t`` = warmup steps,
    ``warmup_prefix=False``, ``cycle_limit=1``, ``lr_min`` = lr / 100,
    ``warmup_lr_init=0``). With :math:`t` the step since ``begin``,
    :math:`T = end - begin`, :math:`W` = ``warmup`` and :math:`\eta` the
    base lr of a parameter group:

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

    ViFi-CLIP calls ``step_update(t)`` after the optimizer step of
    iteration ``t``, so each update uses the value of the previous
    update's ``t`` (the first one uses 0); here iteration ``t`` uses the
    value for ``t``, as with every mmengine scheduler: the same curve,
    one optimizer step earlier.

    Args:
        optimizer (Optimizer or OptimWrapper): Wrapped optimizer.
        warmup (int): Warmup length, in the unit of ``begin``/``end``
            (epochs, converted to iterations with
            ``convert_to_iter_based=True``). 0 disables the warmup.
            Defaults to 0.
        warmup_start_ratio (float): Lr at the first step, as a fraction of
            the base lr (timm's ``warmup_lr_init`` / lr). Defaults to 0.
        eta_min_ratio (float): Floor of the cosine, as a fraction of the
            base lr (timm's ``lr_min`` / lr). Defaults to 0.01.
        begin (int): Step at which the schedule starts. Defaults to 0.
        end (int): Step at which it stops; the cosine spans
            ``end - begin`` and ``end`` must be finite (the runner sets it
            to the train loop's length when it is left out).
        last_step (int): Index of the last step, to resume without a
            state dict. Defaults to -1.
        by_epoch (bool): Whether the steps are epochs. Defaults to True.
        verbose (bool): Whether to log the lr at each update.
            Defaults to False.
    """

    def __init__(self,
                 optimizer,
                 warmup: int = 0,
                 warmup_start_ratio: float = 0.,
                 eta_min_ratio: float = 0.01,
                 begin: int = 0,
                 end: int = INF,
                 last_step: int = -1,
                 by_epoch: bool = True,
                 verbose: bool = False):
        if end >= INF:
            raise ValueError('WarmupCosineLR needs a finite `end`: the '
                             'cosine spans end - begin steps')
        if not 0 <= warmup <= end - begin:
            raise ValueError(f'warmup must lie in [0, end - begin = '
                             f'{end - begin}], got {warmup}')
        self.warmup = warmup
        self.warmup_start_ratio = warmup_start_ratio
        self.eta_min_ratio = eta_min_ratio
        super().__init__(
            optimizer,
            begin=begin,
            end=end,
            last_step=last_step,
            by_epoch=by_epoch,
            verbose=verbose)

    @classmethod
    def build_iter_from_epoch(cls,
                              *args,
                              warmup: int = 0,
                              begin: int = 0,
                              end: int = INF,
                              by_epoch: bool = True,
                              epoch_length=None,
                              **kwargs):
        """Build an iteration-based instance from epoch-based arguments.

        Like mmengine's own schedulers, but ``warmup`` is converted too.
        ``int()`` truncates as ViFi-CLIP's ``int(WARMUP_EPOCHS *
        n_iter_per_epoch)`` does.
        """
        assert by_epoch, 'Only epoch-based kwargs whose `by_epoch=True` ' \
                         'can be converted to iter-based.'
        assert epoch_length is not None and epoch_length > 0, \
            f'`epoch_length` must be a positive integer, ' \
            f'but got {epoch_length}.'
        if end != INF:
            end = int(end * epoch_length)
        return cls(
            *args,
            warmup=int(warmup * epoch_length),
            begin=int(begin * epoch_length),
            end=end,
            by_epoch=False,
            **kwargs)

    def _get_value(self):
        """Closed-form lr of every parameter group at ``last_step``."""
        # _ParamScheduler counts last_step from ``begin`` (it only grows
        # while begin <= global step < end), so it is already t.
        t = self.last_step
        total = self.end - self.begin
        values = []
        for base in self.base_values:
            if t < self.warmup:
                start = base * self.warmup_start_ratio
                values.append(start + t * (base - start) / self.warmup)
            else:
                eta_min = base * self.eta_min_ratio
                cosine = 1 + math.cos(math.pi * min(t, total) / total)
                values.append(eta_min + 0.5 * (base - eta_min) * cosine)
        return values
