"""ClassNamesHook: the head's class names follow the dataset being run."""
from typing import Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


@HOOKS.register_module()
class ClassNamesHook(Hook):
    """Give the head the class names of the dataset the loop runs.

    An open-vocabulary head has no fixed class set: training uses the base
    names, validation base + novel (with ``class_groups``), a zero-shot test
    another dataset's names. This hook reads ``metainfo['classes']`` (and
    ``'class_groups'``) of the train set before training, of the val set
    before each val epoch (restoring the train names after) and of the test
    set before testing, and calls ``cls_head.set_class_names``. Heads
    without that method are left alone (logged once).

    Priority ``ABOVE_NORMAL`` so the names are in place before any other
    ``before_*_epoch`` hook might run the model, and the train names are
    back before the checkpoint hook (``VERY_LOW``) saves the head after
    validation. Register it under ``default_hooks`` (as
    ``configs/_base_/default_runtime.py`` does): a child config's
    ``custom_hooks = [...]`` replaces that whole list and would drop it.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self) -> None:
        self._train_meta: Optional[dict] = None
        self._warned = False

    def _head(self, runner):
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        head = getattr(model, 'cls_head', None)
        if not callable(getattr(head, 'set_class_names', None)):
            if not self._warned:
                runner.logger.info(
                    f'ClassNamesHook: {type(head).__name__} has no '
                    f'set_class_names; class names left unchanged')
                self._warned = True
            return None
        return head

    def _apply(self, runner, meta: Optional[dict], split: str) -> None:
        head = self._head(runner)
        if head is None:
            return
        if not meta or not meta.get('classes'):
            runner.logger.warning(f'ClassNamesHook: the {split} dataset has '
                                  f"no metainfo['classes']; head names "
                                  f'left unchanged')
            return
        groups = meta.get('class_groups')
        head.set_class_names(
            list(meta['classes']),
            groups=None if groups is None else list(groups))
        runner.logger.info(f'ClassNamesHook: {split} uses '
                           f"{len(meta['classes'])} class names")

    @staticmethod
    def _meta(loop) -> Optional[dict]:
        dataset = getattr(getattr(loop, 'dataloader', None), 'dataset', None)
        return None if dataset is None else dataset.metainfo

    def before_train(self, runner) -> None:
        self._train_meta = self._meta(runner.train_loop)
        self._apply(runner, self._train_meta, 'train')

    def before_val_epoch(self, runner) -> None:
        self._apply(runner, self._meta(runner.val_loop), 'val')

    def after_val_epoch(self, runner, metrics=None) -> None:
        if self._train_meta is not None:
            self._apply(runner, self._train_meta, 'train')

    def before_test_epoch(self, runner) -> None:
        self._apply(runner, self._meta(runner.test_loop), 'test')
