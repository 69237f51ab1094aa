from types import SimpleNamespace

import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.registry import MODEL_WRAPPERS
from mmengine.runner.priority import get_priority

from maxclip_mmaction.engine.hooks import ClassNamesHook


class _Head(nn.Module):

    def __init__(self):
        super().__init__()
        self.calls = []

    def set_class_names(self, names, groups=None):
        self.calls.append((list(names), groups))


@MODEL_WRAPPERS.register_module(name='_TestWrapper', force=True)
class _Wrapper(nn.Module):

    def __init__(self, module):
        super().__init__()
        self.module = module


def _loop(**meta):
    return SimpleNamespace(
        dataloader=SimpleNamespace(dataset=SimpleNamespace(metainfo=meta)))


def _runner(model):
    return SimpleNamespace(
        model=model,
        logger=MMLogger.get_instance('test_class_names_hook'),
        train_loop=_loop(classes=('a', 'b')),
        val_loop=_loop(classes=('a', 'b', 'c'), class_groups=(0, 0, 1)),
        test_loop=_loop(classes=('x', )))


def test_names_follow_train_val_test_through_wrapper():
    model = nn.Module()
    model.cls_head = _Head()
    runner, hook = _runner(_Wrapper(model)), ClassNamesHook()
    hook.before_train(runner)
    hook.before_val_epoch(runner)
    hook.after_val_epoch(runner, {})
    hook.before_test_epoch(runner)
    assert model.cls_head.calls == [(['a', 'b'], None),
                                    (['a', 'b', 'c'], [0, 0, 1]),
                                    (['a', 'b'], None), (['x'], None)]


def test_val_only_does_not_restore_train_names():
    model = nn.Module()
    model.cls_head = _Head()
    runner, hook = _runner(model), ClassNamesHook()
    hook.before_val_epoch(runner)
    hook.after_val_epoch(runner, {})
    assert model.cls_head.calls == [(['a', 'b', 'c'], [0, 0, 1])]


def test_head_without_set_class_names_is_left_alone():
    model = nn.Module()
    model.cls_head = nn.Linear(2, 2)
    hook = ClassNamesHook()
    hook.before_train(_runner(model))  # no error
    hook.before_test_epoch(_runner(model))
    assert hook._warned


def test_dataset_without_classes_is_skipped():
    model = nn.Module()
    model.cls_head = _Head()
    runner = _runner(model)
    runner.test_loop = _loop()
    ClassNamesHook().before_test_epoch(runner)
    assert model.cls_head.calls == []


def test_priority_runs_before_normal_hooks():
    assert get_priority(ClassNamesHook.priority) < get_priority('NORMAL')


def test_default_hook_survives_custom_hooks_and_runs_in_order(tmp_path):
    """The shipped config's ClassNamesHook is a default hook: a child
    config's ``custom_hooks = [EMAHook]`` keeps it, it sets the names
    before NORMAL hooks (EMAHook swaps in its weights) and restores the
    train names before the checkpoint hook saves the best checkpoint
    (the names are saved with the head)."""
    import os.path as osp

    from mmengine.config import Config
    from mmengine.runner import Runner
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = Config.fromfile(osp.join(
        root, 'configs/synthmotion/'
        'maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py'))
    cfg.merge_from_dict(dict(custom_hooks=[dict(type='EMAHook')],
                             work_dir=str(tmp_path),
                             experiment_name=tmp_path.name))
    runner = Runner.from_cfg(cfg)
    names = [type(h).__name__ for h in runner.hooks]
    assert names.count('ClassNamesHook') == 1 and 'EMAHook' in names

    def order(stage):
        hooks = [type(h).__name__ for h in runner.hooks
                 if stage in h.get_triggered_stages()]
        return hooks.index('ClassNamesHook'), hooks

    first, hooks = order('before_val_epoch')
    assert first < hooks.index('EMAHook')
    first, hooks = order('after_val_epoch')
    assert first < hooks.index('EMAHook') < \
        hooks.index('SafeCheckpointHook')
