"""EpochAccumulationHook: gradient accumulation windows restart each epoch."""
import math

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.optim import OptimWrapperDict


def optimizer_steps_per_epoch(num_videos: int, world_size: int,
                              batch_size: int, accumulative_counts: int,
                              drop_last: bool) -> int:
    """Optimizer steps in one epoch of ViFi-CLIP's training loop.

    The distributed sampler pads the set to ``ceil(N / world_size)`` videos
    per rank (``torch.utils.data.DistributedSampler`` and mmengine's
    ``DefaultSampler`` alike); the loader makes ``floor`` (``drop_last``)
    or ``ceil`` batches of them; every ``accumulative_counts`` batches make
    one step and a leftover partial window is discarded by the
    ``zero_grad`` at the next epoch start (ViFi-CLIP main.py L133, L165-168;
    here :class:`EpochAccumulationHook`).

    Args:
        num_videos (int): videos in the training set.
        world_size (int): processes (GPUs).
        batch_size (int): per-GPU batch (the loader's ``batch_size``).
        accumulative_counts (int): batches per optimizer step.
        drop_last (bool): whether the loader drops a last partial batch.

    Returns:
        int: optimizer steps per epoch.
    """
    counts = dict(
        num_videos=num_videos,
        world_size=world_size,
        batch_size=batch_size,
        accumulative_counts=accumulative_counts)
    for name, value in counts.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f'{name} must be a positive int, got {value!r}')
    per_rank = math.ceil(num_videos / world_size)
    if drop_last:
        iters = per_rank // batch_size
    else:
        iters = math.ceil(per_rank / batch_size)
    return iters // accumulative_counts


@HOOKS.register_module()
class EpochAccumulationHook(Hook):
    """Start every epoch with a fresh gradient accumulation window.

    ViFi-CLIP zeroes the gradients at each epoch start and steps after every
    ``ACCUMULATION_STEPS``-th batch of the epoch, each batch's loss divided
    by ``ACCUMULATION_STEPS`` (ViFi-CLIP main.py L133, L156, L165-168): when
    the epoch's batch count is not a multiple of it, the last partial
    window never steps and its gradients are dropped. mmengine's
    ``OptimWrapper`` counts backward passes over the whole run instead, so
    a partial window carries over into the next epoch, and its
    ``_max_counts`` logic steps a partial window at the very end with a
    smaller loss divisor.

    Before each training epoch this hook zeroes the gradients (discarding
    a partial window) and sets the wrapper's counters so that the epoch
    starts a window: ``_inner_count`` rounds up to a multiple of
    ``accumulative_counts`` and ``_max_counts = -1``, which makes
    ``scale_loss`` divide every batch's loss by ``accumulative_counts`` and
    ``should_update`` step only on full windows. Steps per epoch are then
    :func:`optimizer_steps_per_epoch`. Meant for ``EpochBasedTrainLoop``;
    ``IterBasedTrainLoop`` has a single epoch, where only the end-of-run
    partial window changes (dropped instead of stepped).

    Priority ``VERY_HIGH``: the counters are reset before any other
    ``before_train_epoch`` hook can run a training step.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        iters = len(runner.train_dataloader)
        for wrapper in self._wrappers(runner):
            counts = wrapper._accumulative_counts
            if iters < counts:
                raise ValueError(
                    f'optim_wrapper.accumulative_counts={counts} is larger '
                    f'than the {iters} iterations of a training epoch '
                    f'(train_dataloader.batch_size and drop_last): with '
                    f'EpochAccumulationHook no optimizer step would run')
            runner.logger.info(
                f'EpochAccumulationHook: {iters} iterations per epoch, '
                f'{iters // counts} optimizer steps, the last '
                f'{iters % counts} iterations of each epoch discarded')

    def before_train_epoch(self, runner) -> None:
        for wrapper in self._wrappers(runner):
            counts = wrapper._accumulative_counts
            wrapper.zero_grad()
            wrapper._inner_count = -(-wrapper._inner_count // counts) * counts
            wrapper._max_counts = -1
            wrapper._remainder_counts = -1

    @staticmethod
    def _wrappers(runner) -> list:
        wrapper = runner.optim_wrapper
        if isinstance(wrapper, OptimWrapperDict):
            return list(wrapper.values())
        return [wrapper]
