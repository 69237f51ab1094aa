"""Bad configs fail before anything heavy is built, naming file and value."""
import os

import pytest
import torch
from mmengine.config import Config
from reliability_utils import (DATASET_MODULE, NAMES, pipeline, write_config,
                               write_list)

from maxclip_mmaction.cli import preflight

exec(DATASET_MODULE)  # registers RobustOVDataset in this process


class Payload:

    def __reduce__(self):
        return (os.system, ('touch PWNED_BY_CHECKPOINT', ))


@pytest.fixture
def cfg_path(tmp_path):
    ann = write_list(tmp_path / 'list.txt', ['a.mp4 0', 'b.mp4 2'])
    return write_config(tmp_path, ann, str(tmp_path), imports=())


def edited(path, old, new):
    text = open(path).read()
    assert old in text
    with open(path, 'w') as f:
        f.write(text.replace(old, new))
    return Config.fromfile(path)


def test_the_tiny_config_passes(cfg_path):
    preflight(Config.fromfile(cfg_path))


def test_unknown_model_type_names_file_line_and_suggestion(cfg_path):
    cfg = edited(cfg_path, "model = dict(backbone=dict(num_frames=4))",
                 "model = dict(backbone=dict(type='MaxClipVit', "
                 "num_frames=4))")
    with pytest.raises(ValueError) as err:
        preflight(cfg)
    msg = str(err.value)
    assert f'{cfg_path}:' in msg and "model.backbone.type='MaxClipVit'" in msg
    assert 'MODELS' in msg and "'MaxCLIPViT'" in msg


def test_unknown_transform_type(cfg_path):
    cfg = Config.fromfile(cfg_path)
    cfg.train_dataloader.dataset.pipeline[3]['type'] = 'Resise'
    with pytest.raises(ValueError, match=r"pipeline\[3\]\.type='Resise'.*"
                       r"TRANSFORMS.*'Resize'"):
        preflight(cfg)


def test_unknown_hook_and_metric_types(cfg_path):
    cfg = edited(cfg_path, "dict(type='BadVideoHook', interval=1)",
                 "dict(type='BadVidoeHook', interval=1)")
    with pytest.raises(ValueError,
                       match="default_hooks.*HOOKS.*BadVideoHook"):
        preflight(cfg)
    cfg = Config.fromfile(cfg_path)
    cfg.test_evaluator = dict(type='FailureAwareAccMetrik')
    with pytest.raises(ValueError, match="test_evaluator.*METRICS"):
        preflight(cfg)


def test_clip_len_must_match_backbone_num_frames(cfg_path):
    cfg = Config.fromfile(cfg_path)
    cfg.train_dataloader.dataset.pipeline = pipeline(clip_len=8)
    with pytest.raises(ValueError, match=r'train_dataloader\.dataset\.'
                       r'pipeline\[1\] SampleFrames.*clip_len=8.*'
                       r'num_frames=4'):
        preflight(cfg)


def test_segment_sample_num_segments_must_match_num_frames(cfg_path):
    cfg = Config.fromfile(cfg_path)
    cfg.train_dataloader.dataset.pipeline[1] = dict(
        type='SegmentSample', num_segments=8)
    with pytest.raises(ValueError, match=r'train_dataloader\.dataset\.'
                       r'pipeline\[1\] SegmentSample.*num_segments=8.*'
                       r'num_frames=4'):
        preflight(cfg)
    cfg.train_dataloader.dataset.pipeline[1]['num_segments'] = 4
    preflight(cfg)


def test_clip_len_error_names_the_config_line(cfg_path):
    cfg = edited(cfg_path, 'model = dict(backbone=dict(num_frames=4))',
                 'model = dict(backbone=dict(num_frames=8))')
    text = open(cfg_path).read().splitlines()
    line = next(i for i, t in enumerate(text, 1) if "'clip_len': 4" in t)
    with pytest.raises(ValueError, match=rf'{cfg_path}:{line}: '
                       r'train_dataloader.*clip_len=4.*num_frames=8'):
        preflight(cfg)


def checkpoint(path, classes):
    torch.save(dict(meta=dict(dataset_meta=dict(classes=tuple(classes))),
                    state_dict={}), path)
    return str(path)


def with_test_set(cfg_path):
    cfg = Config.fromfile(cfg_path)
    cfg.test_dataloader = dict(
        batch_size=1, sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(cfg.train_dataloader.dataset, test_mode=True))
    return cfg


def test_closed_set_head_refuses_other_class_names(cfg_path, tmp_path):
    cfg = with_test_set(cfg_path)
    cfg.model.backbone.out_pool = 'max'
    cfg.model.cls_head = dict(type='TimeSformerHead', num_classes=3,
                              in_channels=32)
    ckpt = checkpoint(tmp_path / 'epoch_1.pth', reversed(NAMES))
    with pytest.raises(ValueError, match=r'epoch_1\.pth was trained on 3 '
                       r"classes.*first difference at class 0: "
                       r"'green things' vs 'red things'.*TimeSformerHead"):
        preflight(cfg, ckpt, 'test')
    preflight(cfg, ckpt, 'train')  # fine-tuning elsewhere only warns
    preflight(cfg, checkpoint(tmp_path / 'same.pth', NAMES), 'test')


def test_open_vocab_head_accepts_other_class_names(cfg_path, tmp_path):
    cfg = with_test_set(cfg_path)
    preflight(cfg, checkpoint(tmp_path / 'e.pth', ['x', 'y']), 'test')


def test_class_check_refuses_a_pickled_checkpoint(cfg_path, tmp_path,
                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = with_test_set(cfg_path)
    path = tmp_path / 'evil.pth'
    torch.save(dict(meta={}, f=Payload()), path)
    with pytest.raises(RuntimeError, match='Refused to load .*evil.pth'):
        preflight(cfg, str(path), 'test')
    assert not (tmp_path / 'PWNED_BY_CHECKPOINT').exists()


@pytest.mark.parametrize('world,expected', [
    ('8', None),
    ('4', 'effective batch 4 processes x 8 per process x 1 accumulation = '
     '32, but the recipe (effective_batch_size) is 64, at the same LR. Keep '
     'the recipe with --cfg-options optim_wrapper.accumulative_counts=2 or '
     'train_dataloader.batch_size=16'),
    ('16', '= 128, but the recipe (effective_batch_size) is 64, at the same '
     'LR. Keep the recipe with --cfg-options '
     'train_dataloader.batch_size=4')])
def test_effective_batch_off_the_recipe_is_reported(cfg_path, monkeypatch,
                                                    world, expected):
    from maxclip_mmaction.cli.preflight import check_effective_batch
    cfg = Config.fromfile(cfg_path)
    cfg.merge_from_dict(dict(effective_batch_size=64, launcher='pytorch',
                             train_dataloader=dict(batch_size=8)))
    monkeypatch.setenv('WORLD_SIZE', world)
    msg = check_effective_batch(cfg)
    assert (msg is None) if expected is None else (expected in msg)
    cfg.auto_scale_lr = dict(enable=True, base_batch_size=64)
    assert check_effective_batch(cfg) is None  # the LR is rescaled instead


def test_open_vocab_head_without_class_names_hook_is_refused(cfg_path):
    # the tiny config has the hook in custom_hooks and in default_hooks
    # (from default_runtime.py); a child that replaces both loses it
    cfg = Config.fromfile(cfg_path)
    cfg.custom_hooks = [dict(type='EMAHook')]
    preflight(cfg)  # the default hook is still there
    cfg.default_hooks.pop('class_names')
    with pytest.raises(ValueError, match=rf'{cfg_path}: model.cls_head is a '
                       r'VideoTextHead with class_names=None and neither '
                       r'default_hooks nor custom_hooks has a '
                       r'ClassNamesHook'):
        preflight(cfg)
    cfg.model.cls_head.class_names = list(NAMES)  # fixed names: fine
    preflight(cfg)


def test_class_names_hook_found_by_scoped_name_or_subclass(cfg_path):
    from maxclip_mmaction.engine.hooks import ClassNamesHook
    cfg = Config.fromfile(cfg_path)
    cfg.default_hooks.pop('class_names')
    cfg.custom_hooks = [dict(type='mmaction.ClassNamesHook')]
    preflight(cfg)
    cfg.custom_hooks = [ClassNamesHook()]
    preflight(cfg)


B2N = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'configs', 'maxclip_ssv2_b2n.py')


@pytest.mark.parametrize('value', ['0', '4', 's2'])
def test_seed_split_outside_1_to_3_names_the_variable(value, monkeypatch):
    from maxclip_mmaction.cli.seed_split import check_seed_split
    monkeypatch.setenv('SEED_SPLIT', value)
    with pytest.raises(ValueError, match=rf"maxclip_ssv2_b2n.py: "
                       rf"seed_split='{value}' \(the SEED_SPLIT environment "
                       rf"variable\) must be 1, 2 or 3"):
        check_seed_split(Config.fromfile(B2N))


def test_seed_split_set_by_cfg_options_is_refused(monkeypatch):
    """--cfg-options seed_split=2 comes after the list path was built."""
    from maxclip_mmaction.cli.seed_split import check_seed_split
    monkeypatch.delenv('SEED_SPLIT', raising=False)
    cfg = Config.fromfile(B2N)
    check_seed_split(cfg)
    cfg.merge_from_dict({'seed_split': '2'})
    with pytest.raises(ValueError, match=r"seed_split='2' but .*"
                       r"fs_base_s1_train.txt' is seed split 1\. Pick the "
                       r'split with SEED_SPLIT=N'):
        check_seed_split(cfg)


def test_checkpoint_seed_split_is_read_from_its_saved_config(tmp_path):
    from maxclip_mmaction.cli.preflight import checkpoint_seed_split
    path = tmp_path / 'epoch_11.pth'
    text = "ann_file='data/x/fs_base_s3_train.txt'\n"
    torch.save(dict(meta=dict(cfg=text), state_dict={}), path)
    assert checkpoint_seed_split(str(path)) == '3'
    torch.save(dict(meta=dict(cfg="ann_file='train.txt'"), state_dict={}),
               path)
    assert checkpoint_seed_split(str(path)) is None
    assert checkpoint_seed_split(str(tmp_path / 'missing.pth')) is None


def cosine(**kwargs):
    return [dict(type='WarmupCosineLR', warmup=5, by_epoch=True, begin=0,
                 convert_to_iter_based=True, **kwargs)]


def test_schedule_end_other_than_max_epochs_is_refused(cfg_path):
    """``--cfg-options train_cfg.max_epochs=2`` on an 11-epoch schedule
    whose ``end`` is written in the config."""
    cfg = Config.fromfile(cfg_path)
    cfg.param_scheduler = cosine(end=11)
    cfg.merge_from_dict({'train_cfg.max_epochs': 2})
    with pytest.raises(ValueError) as err:
        preflight(cfg)
    msg = str(err.value)
    assert msg.startswith(f'{cfg_path}: param_scheduler[0].end=11 but '
                          f'train_cfg.max_epochs=2')
    assert 'never decaying' in msg and 'recipe_length' in msg
    assert '--cfg-options param_scheduler.0.end=2' in msg
    assert 'param_scheduler.0.warmup at most 2' in msg
    cfg.param_scheduler = cosine(end=2, recipe_length=11)
    preflight(cfg)


def test_schedule_left_to_the_loop_passes(cfg_path):
    cfg = Config.fromfile(cfg_path)
    cfg.param_scheduler = cosine(recipe_length=11)
    cfg.merge_from_dict({'train_cfg.max_epochs': 2})
    preflight(cfg)
    cfg.param_scheduler = cosine()  # warmup 5 is longer than 2 epochs
    with pytest.raises(ValueError, match=r'param_scheduler\[0\]\.warmup=5 '
                       r'is longer than the schedule, 2 .*recipe_length'):
        preflight(cfg)


def test_other_schedulers_cut_short_are_logged(cfg_path, monkeypatch):
    from maxclip_mmaction.cli import schedule_check
    logged = []
    monkeypatch.setattr(schedule_check, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    cfg = Config.fromfile(cfg_path)
    cfg.param_scheduler = [
        dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0,
             end=1),
        dict(type='CosineAnnealingLR', T_max=23, by_epoch=True, begin=1,
             end=24)]
    cfg.merge_from_dict({'train_cfg.max_epochs': 2,
                         'train_cfg.val_begin': 24})
    cfg.val_dataloader = cfg.train_dataloader
    preflight(cfg)
    assert len(logged) == 2
    assert 'train_cfg.val_begin=24 but train_cfg.max_epochs=2: this run ' \
        'never validates' in logged[0]
    assert 'param_scheduler[1] (CosineAnnealingLR) ends at end=24 epochs ' \
        'but train_cfg.max_epochs=2' in logged[1]
    assert '--cfg-options param_scheduler.1.end=2' in logged[1]


def test_dataset_argument_its_type_does_not_take(cfg_path):
    """A plain VideoDataset under a parent whose dataset has ``groups``
    (only ``type`` changed in the child config)."""
    cfg = Config.fromfile(cfg_path)
    cfg.val_dataloader = dict(
        batch_size=1, dataset=dict(type='VideoDataset', ann_file='x.txt',
                                   groups=[dict(name='base')],
                                   pipeline=[]))
    with pytest.raises(ValueError) as err:
        preflight(cfg)
    msg = str(err.value)
    assert msg.startswith(f"{cfg_path}: val_dataloader.dataset.groups: "
                          f"VideoDataset does not take 'groups'")
    assert "val_dataloader = dict(dataset=dict(_delete_=True, " \
        "type='VideoDataset'" in msg
    assert 'ann_file' in msg.split('VideoDataset takes:')[1]
    cfg.val_dataloader.dataset.pop('groups')
    preflight(cfg)


def test_wrapped_dataset_arguments_are_checked(cfg_path):
    cfg = Config.fromfile(cfg_path)
    inner = dict(cfg.train_dataloader.dataset, class_subset=[0], colour=1)
    cfg.train_dataloader.dataset = dict(type='RepeatDataset', times=2,
                                        dataset=inner)
    with pytest.raises(ValueError, match=r'train_dataloader\.dataset\.'
                       r"dataset\.colour: RobustOVDataset does not take "
                       r"'colour'"):
        preflight(cfg)
