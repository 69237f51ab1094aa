"""Every config under configs/ parses, builds and agrees with itself.

Models are built once per distinct model dict, on the ``meta`` device
(every constructor argument is checked, no weights are allocated or
initialised), which takes seconds; one config per CLIP architecture is
also built for real on the CPU (ViT-L/14 takes ~20 s on 2 cores). The
mixup/cutmix blending is built on the CPU because
``torch.distributions.Beta`` cannot be created on ``meta``.
"""
import copy
import functools
import glob
import math
import os
import re

import pytest
import torch
from mmaction.registry import (DATASETS, HOOKS, METRICS, MODELS,
                               PARAM_SCHEDULERS, TRANSFORMS)
from mmengine import Config
from mmengine.registry import init_default_scope

import maxclip_mmaction  # noqa: F401  (registers the project's modules)
from maxclip_mmaction.datasets import load_class_names

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG_DIR = os.path.join(ROOT, 'configs')
CONFIGS = sorted(
    os.path.relpath(p, ROOT)
    for p in glob.glob(os.path.join(CONFIG_DIR, '**', '*.py'), recursive=True)
    if '_base_' not in os.path.relpath(p, CONFIG_DIR).split(os.sep))
# ViFi-CLIP split/label samples (reference data, may be absent), in the
# shared folder beside the repository.
REF = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
SAMPLERS = ('SegmentSample', 'UniformSample', 'SampleFrames',
            'DenseSampleFrames')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
ALIAS = 'configs/maxclip_ssv2_b2n.py'
# The folders of the paper's settings (the others: synthmotion, custom).
PAPER_FOLDERS = ('b2n', 'fewshot', 'supervised', 'zeroshot')

init_default_scope('mmaction')


def load(path):
    return Config.fromfile(os.path.join(ROOT, path))


@functools.lru_cache(maxsize=None)
def load_cached(path):
    """Parsed once per session; callers must not modify the result."""
    return load(path)


def offline(model_cfg):
    """Copy of ``model_cfg`` that downloads nothing."""
    model_cfg = copy.deepcopy(model_cfg)
    for part in ('backbone', 'cls_head'):
        if 'pretrained' in model_cfg.get(part, {}):
            model_cfg[part]['pretrained'] = None
    return model_cfg


def frames_per_view(pipeline):
    """Frames in one view after ``FormatShape('NCTHW')``: the clip_len."""
    samplers = [t for t in pipeline if t['type'] in SAMPLERS]
    assert len(samplers) == 1, f'one frame sampler expected: {samplers}'
    shapes = [t for t in pipeline if t['type'] == 'FormatShape']
    assert [t['input_format'] for t in shapes] == ['NCTHW']
    if samplers[0]['type'] == 'SegmentSample':
        return samplers[0]['num_segments']
    return samplers[0]['clip_len']


def transform_types(pipeline):
    for t in pipeline:
        yield t['type']
        yield from transform_types(t.get('transforms', []))


def reference(path):
    """Where a ``data/<ds>/splits/...`` path lies in the reference samples."""
    if '/splits/' in path:
        return os.path.join(REF, 'vifi_splits', path.split('/splits/', 1)[1])
    if path.endswith('label_map_k400.txt'):
        return os.path.join(REF, 'label_map_k400.txt')
    return None


def test_configs_found():
    assert ALIAS in CONFIGS
    for folder in ('b2n', 'fewshot', 'supervised', 'zeroshot', 'synthmotion'):
        assert any(c.startswith(f'configs/{folder}/') for c in CONFIGS)


def distinct_models():
    """One config per distinct model dict (few-shot K variants share one)."""
    firsts = {}
    for path in CONFIGS:
        firsts.setdefault(repr(load_cached(path).model.to_dict()), path)
    return sorted(firsts.values())


@pytest.mark.parametrize('path', distinct_models())
def test_config_builds_model(path):
    model_cfg = offline(load_cached(path).model)
    blending = model_cfg.get('data_preprocessor', {}).pop('blending', None)
    with torch.device('meta'):
        model = MODELS.build(model_cfg)
    assert model.backbone.num_frames == model_cfg.backbone.num_frames
    if blending is not None and not path.startswith('configs/custom/'):
        assert MODELS.build(blending).num_classes > 0


@pytest.mark.parametrize('path', [
    'configs/b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb4-32x1x1-11e_sthv2-b2n-rgb.py',
    'configs/b2n/sthv2/'
    'maxclip_vit-large-p14-s8_8xb4-32x1x1-11e_sthv2-b2n-rgb.py'
])
def test_config_builds_model_on_cpu(path):
    torch.set_num_threads(1)
    cfg = load(path)
    model = MODELS.build(offline(cfg.model))
    assert model.backbone.pool_layers == cfg.model.backbone.pool_layers
    assert model.cls_head.label_smooth_eps == 0.1
    assert type(model.data_preprocessor.blending).__name__ == \
        'RandomBatchAugment'


@pytest.mark.parametrize('path', CONFIGS)
def test_config_frames_match_backbone(path):
    cfg = load_cached(path)
    for loader in LOADERS:
        pipeline = cfg[loader].dataset.pipeline
        assert frames_per_view(pipeline) == cfg.model.backbone.num_frames, \
            f'{loader} samples a different clip length than the backbone'


@pytest.mark.parametrize('path', CONFIGS)
def test_config_types_registered(path):
    cfg = load_cached(path)
    for loader in LOADERS:
        dataset = cfg[loader].dataset
        assert DATASETS.get(dataset.type) is not None, dataset.type
        for t in transform_types(dataset.pipeline):
            assert TRANSFORMS.get(t) is not None, t
    for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
        assert METRICS.get(evaluator.type) is not None, evaluator.type
    hooks = list(cfg.default_hooks.values()) + cfg.get('custom_hooks', [])
    for hook in hooks:
        assert HOOKS.get(hook.type) is not None, hook.type


@pytest.mark.parametrize('path', CONFIGS)
def test_config_mixup_classes_match_labels(path):
    cfg = load_cached(path)
    blending = cfg.model.data_preprocessor.get('blending')
    names = reference(str(cfg.train_dataloader.dataset.class_names))
    if blending is None or names is None or not os.path.exists(names):
        pytest.skip('no blending or no reference label file')
    num_classes = len(load_class_names(names))
    assert [a.num_classes for a in blending.augments] == [num_classes] * 2


@pytest.mark.parametrize(
    'path',
    [c for c in CONFIGS if c.startswith(('configs/b2n/', 'configs/fewshot/'))])
def test_config_split_files_exist(path):
    if not os.path.isdir(REF):
        pytest.skip('reference split samples absent')
    cfg = load_cached(path)
    train = cfg.train_dataloader.dataset
    assert os.path.exists(reference(train.ann_file)), train.ann_file
    assert os.path.exists(reference(train.class_names)), train.class_names


def test_alias_seed_split_from_the_environment(monkeypatch):
    """SEED_SPLIT picks seeds 2 and 3; the rest of the config stays."""
    monkeypatch.delenv('SEED_SPLIT', raising=False)
    s1 = load(ALIAS)
    assert s1.seed_split == '1'
    assert s1.train_dataloader.dataset.ann_file.endswith(
        '/fs_base_s1_train.txt')
    for seed in ('2', '3'):
        monkeypatch.setenv('SEED_SPLIT', seed)
        cfg = load(ALIAS)
        assert cfg.seed_split == seed
        split = cfg.train_dataloader.dataset.ann_file
        assert split == s1.train_dataloader.dataset.ann_file.replace(
            's1_train', f's{seed}_train')
        # only the training list follows the seed
        assert cfg.val_dataloader == s1.val_dataloader
        assert cfg.train_dataloader.dataset.class_names.endswith(
            'ssv2_174_base_labels.csv')
        if os.path.isdir(REF):
            assert os.path.exists(reference(split))


@pytest.mark.parametrize(
    'path', [c for c in CONFIGS if c.startswith('configs/b2n/') or c == ALIAS])
def test_every_b2n_config_takes_the_seed_split(path, monkeypatch):
    monkeypatch.setenv('SEED_SPLIT', '3')
    cfg = load(path)
    assert cfg.seed_split == '3'
    assert os.path.basename(cfg.train_dataloader.dataset.ann_file) == \
        'fs_base_s3_train.txt'


def test_alias_is_ssv2_b16_s1_max():
    cfg = load_cached(ALIAS)
    assert cfg.model.backbone.clip_arch == 'ViT-B-16'
    assert cfg.model.backbone.pool_layers == 1
    assert cfg.model.backbone.pool_position == 'after'
    assert cfg.model.cls_head.pooling == 'max'
    assert cfg.train_dataloader.batch_size * 8 * \
        cfg.optim_wrapper.accumulative_counts == 64
    names = [g.name for g in cfg.val_dataloader.dataset.groups]
    assert names == ['base', 'novel']
    # the alias is the b2n/sthv2 config, value for value
    leaf = load_cached(
        'configs/b2n/sthv2/'
        'maxclip_vit-base-p16-s1_8xb4-32x1x1-11e_sthv2-b2n-rgb.py')
    assert cfg.to_dict() == leaf.to_dict()


@pytest.mark.parametrize('path', [c for c in CONFIGS if 'sthv2' in c])
def test_sthv2_flips_like_vificlip_and_the_named_switch_stops_it(
        path, monkeypatch):
    """SSv2 flips like ViFi-CLIP (p 0.5); FLIP_RATIO=0 turns it off by name
    (TC-CLIP's SSv2 setting), as video_pipelines.py documents."""
    monkeypatch.delenv('FLIP_RATIO', raising=False)
    cfg = load(path)
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t.flip_ratio for t in pipeline if t.type == 'Flip'] == [0.5]
    monkeypatch.setenv('FLIP_RATIO', '0')
    cfg = load(path)
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t.flip_ratio for t in pipeline if t.type == 'Flip'] == [0]


def test_child_config_rebuilds_a_pipeline_by_name(tmp_path):
    """The child-config line of video_pipelines.py's comment."""
    child = tmp_path / 'noflip.py'
    child.write_text(f"_base_ = [{os.path.join(ROOT, ALIAS)!r}]\n"
                     "train_dataloader = dict(dataset=dict(pipeline=[\n"
                     "    dict(t, flip_ratio=0) if t.type == 'Flip' else t\n"
                     "    for t in _base_.train_pipeline]))\n")
    cfg = Config.fromfile(str(child))
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t.flip_ratio for t in pipeline if t.type == 'Flip'] == [0]
    assert len(pipeline) == len(load_cached(ALIAS).train_pipeline)


@pytest.mark.parametrize(
    'path', [c for c in CONFIGS if c.split('/')[1] in PAPER_FOLDERS])
def test_segment_sample_by_default_uniform_sample_by_name(path, monkeypatch):
    """SegmentSample (ViFi-CLIP's SampleFrames indices, one T-frame clip)
    in every loader; FRAME_SAMPLER=uniform gives UniformSample with the
    same frames and views."""
    monkeypatch.delenv('FRAME_SAMPLER', raising=False)
    cfg = load_cached(path)
    frames = cfg.model.backbone.num_frames
    train = [
        t for t in cfg.train_dataloader.dataset.pipeline if t.type in SAMPLERS
    ]
    assert [t.to_dict() for t in train
            ] == [dict(type='SegmentSample', num_segments=frames)]
    val = [
        t for t in cfg.val_dataloader.dataset.pipeline if t.type in SAMPLERS
    ]
    assert [t.to_dict() for t in val] == [
        dict(type='SegmentSample', num_segments=frames, test_mode=True)
    ]
    monkeypatch.setenv('FRAME_SAMPLER', 'uniform')
    uniform = load(path)
    for loader, test_mode in (('train_dataloader', False),
                              ('val_dataloader', True), ('test_dataloader',
                                                         True)):
        [t] = [
            t for t in uniform[loader].dataset.pipeline if t.type in SAMPLERS
        ]
        assert (t.type, t.clip_len, t.test_mode) == ('UniformSample', frames,
                                                     test_mode)
        views = views_of(cfg[loader].dataset.pipeline)[0] \
            if test_mode else 1
        assert t.num_clips == views


def test_a_wrong_frame_sampler_names_the_variable(monkeypatch):
    monkeypatch.setenv('FRAME_SAMPLER', 'dense')
    with pytest.raises(Exception, match="FRAME_SAMPLER='dense'"):
        load(ALIAS)


K400_FULL = [
    c for c in CONFIGS
    if c.startswith(('configs/supervised/', 'configs/zeroshot/'))
]


@pytest.mark.parametrize('path', K400_FULL)
def test_k400_trains_on_vificlips_lists_or_mmactions_by_name(
        path, monkeypatch):
    """ViFi-CLIP's k400_splits lists and label CSV (its supervised and
    zero-shot YAMLs' DATA.TRAIN_FILE / VAL_FILE / LABEL_LIST) by default,
    one video folder holding train/ and val/; K400_LISTS=mmaction gives
    MMAction2's lists over one folder per split; 400 classes either way."""
    monkeypatch.delenv('K400_LISTS', raising=False)
    splits = 'data/kinetics400/splits/datasets_splits/k400_splits'
    labels = 'data/kinetics400/splits/labels/kinetics_400_labels.csv'
    expected = {
        None: [('train_dataloader', f'{splits}/train.txt', labels,
                'data/kinetics400/videos'),
               ('val_dataloader', f'{splits}/val.txt', labels,
                'data/kinetics400/videos')],
        'mmaction': [
            ('train_dataloader',
             'data/kinetics400/kinetics400_train_list_videos.txt',
             'data/kinetics400/label_map_k400.txt',
             'data/kinetics400/videos/train'),
            ('val_dataloader',
             'data/kinetics400/kinetics400_val_list_videos.txt',
             'data/kinetics400/label_map_k400.txt',
             'data/kinetics400/videos/val')
        ]
    }
    for lists, loaders in expected.items():
        if lists:
            monkeypatch.setenv('K400_LISTS', lists)
        cfg = load(path)
        for loader, ann, names, prefix in loaders:
            dataset = cfg[loader].dataset
            assert (dataset.ann_file, dataset.class_names,
                    dataset.data_prefix.video) == (ann, names, prefix)
        assert [a.num_classes for a in
                cfg.model.data_preprocessor.blending.augments] == [400, 400]
        if path.startswith('configs/supervised/'):  # tests on K-400 val
            assert cfg.test_dataloader.dataset.ann_file == loaders[1][1]
    if os.path.isdir(REF):  # the two label files: same names, same order
        assert load_class_names(reference(labels)) == load_class_names(
            reference('data/kinetics400/label_map_k400.txt'))


def test_a_wrong_k400_lists_names_the_variable(monkeypatch):
    monkeypatch.setenv('K400_LISTS', 'k400')
    with pytest.raises(Exception, match="K400_LISTS='k400'"):
        load(K400_FULL[0])


@pytest.fixture(scope='module')
def demo_video(tmp_path_factory):
    """A generated 40-frame video (no reference data needed)."""
    from maxclip_mmaction.testing import write_video
    path = tmp_path_factory.mktemp('video') / 'demo.mp4'
    return write_video(str(path), num_frames=40, size=(72, 96))


def run_pipeline(pipeline, video):
    from mmengine.dataset import Compose
    return Compose(pipeline)(
        dict(filename=video, label=0, start_index=0, modality='RGB'))


def test_sthv2_train_pipeline_on_a_video(demo_video):
    cfg = load(ALIAS)
    out = run_pipeline(cfg.train_dataloader.dataset.pipeline, demo_video)
    # one view: (V, C, T, H, W)
    assert tuple(out['inputs'].shape) == (1, 3, 32, 224, 224)


SUPERVISED = ('configs/supervised/'
              'maxclip_vit-base-p16-s3_8xb4-16x1x1-30e_kinetics400-rgb.py')


def test_supervised_test_pipeline_has_4x3_views(demo_video):
    cfg = load(SUPERVISED)
    [sampler] = [
        t for t in cfg.test_dataloader.dataset.pipeline if t.type in SAMPLERS
    ]
    assert sampler.to_dict() == dict(
        type='SegmentSample',
        num_segments=16,
        num_views=4,
        random_views=False,
        test_mode=True)
    out = run_pipeline(cfg.test_dataloader.dataset.pipeline, demo_video)
    # 3 crops x 4 clips views of 16 frames: (V, C, T, H, W)
    assert tuple(out['inputs'].shape) == (12, 3, 16, 224, 224)
    out = run_pipeline(cfg.val_dataloader.dataset.pipeline, demo_video)
    assert tuple(out['inputs'].shape) == (1, 3, 16, 224, 224)


def test_supervised_random_views_switch(monkeypatch):
    """RANDOM_VIEWS=1: ViFi-CLIP's random 4 clips (datasets/build.py
    L300); the default is fixed offsets."""
    monkeypatch.setenv('RANDOM_VIEWS', '1')
    cfg = load(SUPERVISED)
    [sampler] = [
        t for t in cfg.test_dataloader.dataset.pipeline if t.type in SAMPLERS
    ]
    assert (sampler.num_views, sampler.random_views) == (4, True)


# {algorithm}_{module}_{training}_{data}.py, e.g.
# maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py
NAME = re.compile(r'(?P<algo>[a-z-]+)_vit-(?P<arch>base-p16|large-p14)'
                  r'(-s(?P<s>\d+))?(?P<before>-before)?_(?P<gpus>\d+)xb'
                  r'(?P<batch>\d+)-(?P<frames>\d+)x1x1-(?P<epochs>\d+)e'
                  r'(-k400)?_(?P<data>[a-z0-9]+)-[a-z0-9-]+\.py')
POOLING = {
    'maxclip': 'max',
    'maxclip-mean': 'mean',
    'vificlip': 'mean',
    'vificlip-max': 'max'
}
ARCH = {'base-p16': 'ViT-B-16', 'large-p14': 'ViT-L-14'}
BATCH = {'b2n': 64, 'fewshot': 64, 'supervised': 512, 'zeroshot': 256}


@pytest.mark.parametrize('path',
                         [c for c in CONFIGS if c.split('/')[1] in BATCH])
def test_config_name_matches_content(path):
    m = NAME.fullmatch(os.path.basename(path))
    assert m, 'name does not follow {algorithm}_{module}_{training}_{data}'
    cfg = load_cached(path)
    backbone, head = cfg.model.backbone, cfg.model.cls_head
    assert backbone.clip_arch == head.clip_arch == ARCH[m['arch']]
    assert head.pooling == POOLING[m['algo']]
    s = 0 if m['algo'].startswith('vificlip') else int(m['s'])
    assert backbone.pool_layers == s
    assert backbone.pool_position == ('before' if m['before'] else 'after')
    assert backbone.num_frames == int(m['frames'])
    assert cfg.train_cfg.max_epochs == int(m['epochs'])
    batch = cfg.train_dataloader.batch_size
    assert batch == int(m['batch'])
    effective = int(m['gpus']) * batch * cfg.optim_wrapper.accumulative_counts
    assert effective == BATCH[path.split('/')[1]]
    # what tools/train.py's preflight compares the launch with
    assert cfg.effective_batch_size == effective
    # --auto-scale-lr compares GPUs x per-GPU batch (not accumulation)
    assert cfg.auto_scale_lr.base_batch_size == int(m['gpus']) * batch
    assert f"data/{m['data']}/" in str(cfg.test_dataloader.dataset)
    shots = re.search(r'-fewshot-k(\d+)-', path)
    if shots:  # the K in the name is the split file's K
        assert cfg.train_dataloader.dataset.ann_file.endswith(
            f'train1_few_shot_{shots[1]}.txt')


def vifi_clip_lr(t, lr, num_steps, warmup_steps):
    """ViFi-CLIP's lr at iteration ``t`` (utils/optimizer.py).

    timm ``CosineLRScheduler(t_initial=num_steps, lr_min=lr / 100,
    warmup_lr_init=0, warmup_t=warmup_steps, cycle_limit=1)``: with the
    default ``warmup_prefix=False`` the cosine spans the whole run,
    warmup included.
    """
    if t < warmup_steps:
        return t * lr / warmup_steps
    lr_min = lr / 100
    return lr_min + 0.5 * (lr - lr_min) * (1 +
                                           math.cos(math.pi * t / num_steps))


@pytest.mark.parametrize('path',
                         [c for c in CONFIGS if c.split('/')[1] in BATCH])
def test_config_lr_schedule(path):
    """Every iteration's lr is ViFi-CLIP's (5 warmup epochs from 0)."""
    from mmengine.optim import OptimWrapper
    cfg = load_cached(path)
    lr = cfg.optim_wrapper.optimizer.lr
    epoch_length = 7
    optimizer = torch.optim.AdamW(torch.nn.Linear(2, 2).parameters(), lr=lr)
    wrapper = OptimWrapper(optimizer)
    schedulers = []
    for s in copy.deepcopy(cfg.param_scheduler):
        # as mmengine's Runner does: an end left out is the loop's length
        s.setdefault('end', cfg.train_cfg.max_epochs)
        schedulers.append(PARAM_SCHEDULERS.build(
            s, default_args=dict(optimizer=wrapper,
                                 epoch_length=epoch_length)))
    lrs = []
    for _ in range(cfg.train_cfg.max_epochs * epoch_length):
        lrs.append(optimizer.param_groups[0]['lr'])
        wrapper.step()
        for scheduler in schedulers:
            scheduler.step()
    num_steps, warmup = len(lrs), 5 * epoch_length
    assert lrs == pytest.approx(
        [vifi_clip_lr(t, lr, num_steps, warmup) for t in range(num_steps)],
        rel=1e-9)
    assert lrs[0] == 0
    assert lrs[warmup] < lr  # the cosine does not restart after warmup


# ViFi-CLIP's recipe per setting (its configs/*/*.yaml and
# utils/config.py): LR, epochs, effective batch, frames, test views (clips,
# crops), accumulation steps at ViFi-CLIP's per-GPU batch of 4. The frames
# ablations' 16 is checked against their names.
RECIPE = {
    'b2n':
    dict(lr=2e-6, epochs=11, batch=64, frames=32, views=(1, 1), accum=2),
    'fewshot':
    dict(lr=2e-6, epochs=50, batch=64, frames=32, views=(1, 1), accum=2),
    'supervised':
    dict(lr=2.2e-5, epochs=30, batch=512, frames=16, views=(4, 3), accum=16),
    'zeroshot':
    dict(lr=8e-6, epochs=10, batch=256, frames=32, views=(1, 1), accum=8),
}
# Training classes per setting and dataset: base classes
# for base-to-novel, all classes otherwise; zero-shot trains on K-400.
TRAIN_CLASSES = {
    'b2n': dict(kinetics400=200, hmdb51=26, ucf101=51, sthv2=87),
    'fewshot': dict(hmdb51=51, ucf101=101, sthv2=174),
    'supervised': dict(kinetics400=400),
    'zeroshot': dict(kinetics400=400, hmdb51=400, ucf101=400, kinetics600=400),
}
# The paper's s for MaxCLIP per setting and architecture (Tables 1-3;
# few-shot L/14: 4 on SSv2, 3 on HMDB51/UCF101); zero-shot uses the b2n
# setting.
PAPER_S = {
    ('b2n', 'base-p16'): 1,
    ('b2n', 'large-p14'): 8,
    ('fewshot', 'base-p16'): 3,
    ('fewshot', 'large-p14'): 3,
    ('fewshot-sthv2', 'base-p16'): 3,
    ('fewshot-sthv2', 'large-p14'): 4,
    ('supervised', 'base-p16'): 3,
    ('zeroshot', 'base-p16'): 1,
}
IMAGENET = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])


def setting(path):
    return path.split('/')[1]


def views_of(pipeline):
    """(clips, crops) of a test pipeline."""
    clips = [
        t.get('num_views', 1) if t.type == 'SegmentSample' else t.num_clips
        for t in pipeline if t.type in SAMPLERS
    ]
    crops = {'CenterCrop': 1, 'ThreeCrop': 3, 'TenCrop': 10}
    n_crops = [crops[t.type] for t in pipeline if t.type in crops]
    assert len(clips) == len(n_crops) == 1, pipeline
    return clips[0], n_crops[0]


@pytest.mark.parametrize('path',
                         [c for c in CONFIGS if c.split('/')[1] in BATCH])
def test_config_follows_the_recipe(path):
    cfg, rec = load_cached(path), RECIPE[setting(path)]
    m = NAME.fullmatch(os.path.basename(path))
    # optimizer: AdamW, the setting's LR, betas (0.9, 0.98), eps 1e-8,
    # weight decay 0.001 on all parameters
    wrapper = cfg.optim_wrapper
    assert wrapper.type == 'AmpOptimWrapper' and \
        wrapper.dtype == 'bfloat16'
    opt = wrapper.optimizer
    assert (opt.type, opt.lr, tuple(opt.betas), opt.eps,
            opt.weight_decay) == ('AdamW', rec['lr'], (0.9, 0.98), 1e-8, 0.001)
    assert 'paramwise_cfg' not in wrapper
    # effective batch on the 8 GPUs the configs are written for
    effective = cfg.train_dataloader.batch_size * 8 * \
        wrapper.get('accumulative_counts', 1)
    assert effective == cfg.effective_batch_size == rec['batch']
    # epochs; cosine per iteration over all of them to lr / 100, with 5
    # linear warmup epochs from 0 inside it (the curve itself:
    # test_config_lr_schedule)
    assert cfg.train_cfg.max_epochs == rec['epochs']
    # (its end is left to the runner: the train loop's length)
    [sched] = cfg.param_scheduler
    assert (sched.type, sched.warmup, sched.recipe_length, sched.eta_min_ratio,
            sched.begin, sched.get('end'), sched.by_epoch,
            sched.convert_to_iter_based) == ('WarmupCosineLR', 5,
                                             rec['epochs'], 0.01, 0, None,
                                             True, True)
    # mixup 0.8 / cutmix 1.0, one per batch, over the training classes;
    # label smoothing 0.1
    data = m['data'] if setting(path) != 'zeroshot' else 'kinetics400'
    classes = TRAIN_CLASSES[setting(path)][data]
    blending = cfg.model.data_preprocessor.blending
    assert blending.type == 'RandomBatchAugment'
    assert [(a.type, a.alpha, a.num_classes) for a in blending.augments] \
        == [('MixupBlending', 0.8, classes),
            ('CutmixBlending', 1.0, classes)]
    assert list(blending.probs) == [0.5, 0.5]
    assert cfg.model.cls_head.label_smooth_eps == 0.1
    # ImageNet normalisation as ViFi-CLIP
    prep = cfg.model.data_preprocessor
    assert dict(mean=list(prep.mean), std=list(prep.std)) == IMAGENET
    # seed 1024 (+ rank)
    assert cfg.randomness.seed == 1024 and cfg.randomness.diff_rank_seed
    # frames and views
    frames = int(m['frames'])
    assert frames in (16, rec['frames'])
    assert cfg.model.backbone.num_frames == frames
    assert views_of(cfg.test_dataloader.dataset.pipeline) == rec['views']
    assert views_of(cfg.val_dataloader.dataset.pipeline) == (1, 1)
    # horizontal flip p 0.5 in training, every dataset (ViFi-CLIP)
    train = cfg.train_dataloader.dataset.pipeline
    assert [t.flip_ratio for t in train if t.type == 'Flip'] == [0.5]
    # ViFi-CLIP's per-GPU batch 4 (the micro-batch mixup / cutmix pair
    # within), its accumulation steps, drop_last, and each epoch starting
    # a fresh accumulation window (main.py L133)
    assert cfg.train_dataloader.batch_size == 4
    assert wrapper.accumulative_counts == rec['accum']
    assert cfg.train_dataloader.drop_last is True
    assert cfg.default_hooks.accumulation.type == 'EpochAccumulationHook'
    # training transforms and their parameters (datasets/build.py L247-266)
    steps = [(t.type, {
        k: v
        for k, v in t.items() if k not in ('type', 'lazy')
    }) for t in train]
    assert steps == [
        ('SafeDecordInit', dict(io_backend='disk')),
        ('SegmentSample', dict(num_segments=frames)),
        ('DecordDecode', {}),
        ('Resize', dict(scale=(-1, 256))),
        ('MultiScaleCrop',
         dict(
             input_size=224,
             scales=(1, .875, .75, .66),
             random_crop=False,
             max_wh_scale_gap=1)),
        ('Resize', dict(scale=(224, 224), keep_ratio=False)),
        ('Flip', dict(flip_ratio=0.5)),
        ('Fuse', {}),
        ('FormatShape', dict(input_format='NCTHW')),
        ('PackActionInputs', {}),
    ]
    # colour jitter (0.4, 0.4, 0.2, 0.1) p 0.8, grayscale p 0.2
    # (datasets/pipeline.py ColorJitter, utils/config.py L69-70)
    assert (prep.type, prep.brightness, prep.contrast, prep.saturation,
            prep.hue, prep.jitter_prob,
            prep.gray_prob) == ('ColorJitterDataPreprocessor', 0.4, 0.4, 0.2,
                                0.1, 0.8, 0.2)
    # test transforms: short side 256 + centre crop 224, or 224 + three
    # crops for 4 x 3 (datasets/build.py L285-300); scores softmaxed per
    # view and averaged (main.py L222-223)
    test = cfg.test_dataloader.dataset.pipeline
    crop = [(t.type, t.get('scale', t.get('crop_size'))) for t in test
            if t.type in ('Resize', 'CenterCrop', 'ThreeCrop')]
    assert crop == ([('Resize', (-1, 256)),
                     ('CenterCrop',
                      224)] if rec['views'] == (1,
                                                1) else [('Resize', (-1, 224)),
                                                         ('ThreeCrop', 224)])
    assert cfg.model.cls_head.average_clips == 'prob'
    # prompt 'a photo of a {class}.' (trainers/vificlip.py L119-122); the
    # token table frozen, the rest of both towers trained (L119-126,
    # L220-224)
    assert tuple(cfg.model.cls_head.templates) == ('a photo of a {}.', )
    assert cfg.model.cls_head.train_token_embedding is False
    assert cfg.model.backbone.get('frozen_stages', -1) == -1
    # no gradient checkpointing (utils/config.py L62), ViFi-CLIP's
    # pretrained OpenAI CLIP
    assert cfg.model.backbone.grad_checkpointing is False
    assert cfg.model.backbone.pretrained == 'openai' == \
        cfg.model.cls_head.pretrained
    # the loss: cross-entropy on the soft (mixed, smoothed) targets
    assert cfg.model.cls_head.get(
        'loss_cls',
        dict(type='CrossEntropyLoss'))['type'] == 'CrossEntropyLoss'
    # the final checkpoint is evaluated (b2n / few-shot validate only
    # after the last epoch; main.py L104-117 validates the last epoch)
    if setting(path) in ('b2n', 'fewshot'):
        assert cfg.train_cfg.val_begin == rec['epochs']


@pytest.mark.parametrize(
    'folder',
    sorted({
        os.path.dirname(c)
        for c in CONFIGS if c.split('/')[1] in PAPER_FOLDERS
    }))
def test_every_folder_has_the_papers_main_configs(folder):
    """MaxCLIP at the paper's s (max, after) and the ViFi-CLIP baseline
    for each architecture the paper reports in that setting."""
    key = folder.split('/')[1]
    if key == 'fewshot' and folder.endswith('sthv2'):
        key = 'fewshot-sthv2'
    found = set()
    for path in CONFIGS:
        if os.path.dirname(path) != folder:
            continue
        m = NAME.fullmatch(os.path.basename(path))
        if m['algo'] == 'maxclip' and not m['before'] and \
                int(m['s']) == PAPER_S.get((key, m['arch'])):
            found.add(('maxclip', m['arch']))
        if m['algo'] == 'vificlip' and m['arch'] == 'base-p16':
            found.add(('vificlip', m['arch']))
    expected = {('maxclip', arch) for (k, arch) in PAPER_S if k == key}
    if key != 'zeroshot':
        expected.add(('vificlip', 'base-p16'))
    assert expected <= found


MODEL_BASE = os.path.join(CONFIG_DIR, '_base_', 'models')


@pytest.mark.parametrize(
    'path', [c for c in CONFIGS if os.path.basename(c).startswith('vificlip')])
def test_baselines_are_the_vificlip_model_base(path):
    """A ViFi-CLIP config's model is _base_/models/vificlip_*.py's (plus
    the dataset's blending, its frames and, for -max, max pooling)."""
    name = os.path.basename(path)
    m = NAME.fullmatch(name)
    arch = m['arch'] if m else 'tiny'  # vificlip_tiny_... has no vit-
    algo = name.split('_')[0]
    base = Config.fromfile(
        os.path.join(
            MODEL_BASE, 'vificlip_tiny.py'
            if arch == 'tiny' else f'vificlip_vit-{arch}.py')).model
    model = load_cached(path).model.to_dict()
    model['data_preprocessor'].pop('blending', None)
    model['backbone']['num_frames'] = base.backbone.num_frames
    if algo == 'vificlip-max':
        assert model['cls_head']['pooling'] == 'max'
        model['cls_head']['pooling'] = 'mean'
    assert model == base.to_dict()


def _bases(path):
    """The ``_base_`` files a config names (absolute paths)."""
    import ast
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and \
                getattr(node.targets[0], 'id', None) == '_base_':
            value = ast.literal_eval(node.value)
            value = [value] if isinstance(value, str) else value
            return [
                os.path.normpath(os.path.join(os.path.dirname(path), b))
                for b in value
            ]
    return []


def _depth(path):
    return max([1 + _depth(b) for b in _bases(path)], default=0)


@pytest.mark.parametrize('path', CONFIGS)
def test_config_inherits_within_its_folder_at_most_three_levels(path):
    full = os.path.join(ROOT, path)
    assert _depth(full) <= 3
    for base in _bases(full):
        inside = os.path.dirname(base) == os.path.dirname(full)
        assert inside or f'{os.sep}_base_{os.sep}' in base or \
            path == ALIAS, f'{path} inherits across folders: {base}'


@pytest.mark.parametrize(
    'folder', sorted({os.path.dirname(c)
                      for c in CONFIGS if c != ALIAS}))
def test_every_folder_has_one_primitive(folder):
    """One config builds on _base_/ only; the others inherit it."""
    primitives = [
        c for c in CONFIGS if os.path.dirname(c) == folder and all(
            f'{os.sep}_base_{os.sep}' in b
            for b in _bases(os.path.join(ROOT, c)))
    ]
    assert len(primitives) == 1, primitives


def _train_videos(path):
    """Videos in the config's training list (reference split samples)."""
    ann = reference(load_cached(path).train_dataloader.dataset.ann_file)
    if ann is None or not os.path.exists(ann):
        pytest.skip('reference split samples absent')
    with open(ann) as f:
        return sum(1 for line in f if line.strip())


# ViFi-CLIP's optimizer steps per epoch on 8 GPUs (per-GPU batch 4, 2
# accumulation steps, drop_last, a partial window discarded): the
# training set's size through its formula.
UPSTREAM_STEPS = {
    'hmdb51-fewshot-k2': 1,
    'hmdb51-fewshot-k4': 3,
    'hmdb51-fewshot-k8': 6,
    'hmdb51-fewshot-k16': 12,
    'ucf101-fewshot-k2': 3,
    'sthv2-fewshot-k2': 5,
    'hmdb51-b2n': 6,
    'ucf101-b2n': 12,
    'sthv2-b2n': 21,
}


@pytest.mark.parametrize('path',
                         [c for c in CONFIGS if c.split('/')[1] in BATCH])
def test_optimizer_steps_per_epoch_are_vificlips(path):
    from maxclip_mmaction.engine.hooks.epoch_accumulation_hook import \
        optimizer_steps_per_epoch
    cfg = load_cached(path)
    videos = _train_videos(path)
    loader = cfg.train_dataloader
    ours = optimizer_steps_per_epoch(videos, 8, loader.batch_size,
                                     cfg.optim_wrapper.accumulative_counts,
                                     loader.drop_last)
    # ViFi-CLIP: DistributedSampler pads to ceil(N / 8) a rank, batches of
    # 4 with drop_last, a step every ACCUMULATION_STEPS batches
    # (datasets/build.py L273-283, main.py L165-168)
    upstream = -(-videos // 8) // 4 // RECIPE[setting(path)]['accum']
    assert ours == upstream
    m = re.search(r'_([a-z0-9]+-(b2n|fewshot-k\d+))-rgb\.py$', path)
    if m[1] in UPSTREAM_STEPS:
        assert ours == UPSTREAM_STEPS[m[1]]


@pytest.mark.parametrize('data', ['kinetics400', 'sthv2'])
def test_table1_mean_token_pool_row_is_s12(data):
    """Table 1's "mean features + token pool" SSv2 numbers (16.8 / 12.8)
    are the s = 12 mean ablation's (16.84 / 12.77), not s = 1's."""
    cfg = load_cached(f'configs/b2n/{data}/maxclip-mean_vit-base-p16-s12_'
                      f'8xb4-32x1x1-11e_{data}-b2n-rgb.py')
    assert cfg.model.backbone.pool_layers == 12
    assert cfg.model.cls_head.pooling == 'mean'
    assert f'data/{data}/' in cfg.train_dataloader.dataset.ann_file


def test_fp16_is_one_cfg_option_away(monkeypatch):
    """``--cfg-options optim_wrapper.dtype=float16`` gives apex-O1-like
    fp16 autocast with dynamic loss scaling. AmpOptimWrapper asserts a
    GPU at construction, so the check is patched for this CPU build."""
    from mmengine.optim import AmpOptimWrapper, build_optim_wrapper
    from mmengine.optim.optimizer import amp_optimizer_wrapper
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available',
                        lambda: True)
    cfg = load(ALIAS)
    cfg.merge_from_dict({'optim_wrapper.dtype': 'float16'})
    wrapper = build_optim_wrapper(torch.nn.Linear(2, 2), cfg.optim_wrapper)
    assert isinstance(wrapper, AmpOptimWrapper)
    assert wrapper.cast_dtype == torch.float16
    assert isinstance(wrapper.loss_scaler, torch.amp.GradScaler)
    assert wrapper.optimizer.defaults['lr'] == 2e-6


def test_tensorboard_switch_keeps_the_local_backend(monkeypatch):
    """TENSORBOARD=1 adds TensorBoard; LocalVisBackend (whose
    scalars.json tools/report_results.py reads) stays."""
    from mmaction.registry import VISBACKENDS
    monkeypatch.delenv('TENSORBOARD', raising=False)
    backends = load(ALIAS).visualizer.vis_backends
    assert [b.type for b in backends] == ['LocalVisBackend']
    monkeypatch.setenv('TENSORBOARD', '1')
    backends = load(ALIAS).visualizer.vis_backends
    assert [b.type
            for b in backends] == ['LocalVisBackend', 'TensorboardVisBackend']
    assert VISBACKENDS.get('TensorboardVisBackend') is not None


@pytest.mark.parametrize('path', CONFIGS)
def test_class_names_hook_is_a_default_hook(path):
    """In default_hooks, so a child's ``custom_hooks = [...]`` keeps it."""
    cfg = load_cached(path)
    assert cfg.default_hooks.class_names.type == 'ClassNamesHook'
    assert not any(h.type == 'ClassNamesHook'
                   for h in cfg.get('custom_hooks', []))


CUSTOM = sorted(c for c in CONFIGS if c.startswith('configs/custom/'))


@pytest.mark.parametrize('path', CUSTOM)
def test_custom_configs_read_a_plain_dataset(path, tmp_path, monkeypatch):
    """CUSTOM_DATA names the folder; the mixup / cutmix class count is the
    lines of its classes.txt; train, val and test are plain datasets of
    the same classes (no base-to-novel ``groups``)."""
    (tmp_path / 'classes.txt').write_text('a\nb\n\nc\nd\ne\n')
    monkeypatch.setenv('CUSTOM_DATA', str(tmp_path))
    cfg = load(path)
    for loader, ann in zip(LOADERS, ('train.txt', 'val.txt', 'test.txt')):
        dataset = cfg[loader].dataset
        assert (dataset.type, dataset.data_root, dataset.ann_file,
                dataset.class_names) == ('OpenVocabVideoDataset',
                                         str(tmp_path), ann, 'classes.txt')
        assert 'groups' not in dataset
    assert cfg.val_evaluator.type == cfg.test_evaluator.type == \
        'FailureAwareAccMetric'
    blending = cfg.model.data_preprocessor.get('blending')
    if blending is not None:
        assert [a.num_classes for a in blending.augments] == [5, 5]
        assert MODELS.build(blending).num_classes == 5
    assert cfg.train_cfg.val_begin == 1 and cfg.train_cfg.val_interval == 1


def test_custom_child_config_needs_no_delete(tmp_path):
    """The page's child config (16 frames) inherits cleanly."""
    child = tmp_path / 'mine.py'
    parent = os.path.join(
        CONFIG_DIR, 'custom', 'maxclip_vit-base-p16-s1_8xb4-32x1x1-11e_custom-'
        'rgb.py')
    child.write_text(f"_base_ = [{parent!r}]\n"
                     "model = dict(backbone=dict(num_frames=16))\n"
                     "train_dataloader = dict(dataset=dict(pipeline="
                     "_base_.train_pipeline_16f))\n"
                     "val_dataloader = dict(dataset=dict(pipeline="
                     "_base_.val_pipeline_16f))\n"
                     "test_dataloader = val_dataloader\n")
    cfg = Config.fromfile(str(child))
    for loader in LOADERS:
        assert frames_per_view(cfg[loader].dataset.pipeline) == 16
        assert cfg[loader].dataset.ann_file.endswith('.txt')
