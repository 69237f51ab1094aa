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
