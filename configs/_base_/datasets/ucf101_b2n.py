# UCF101 base-to-novel, ViFi-CLIP protocol (PROTOCOLS.md):
# train on the 16-shot base split of one seed, evaluate one checkpoint on
# base_val with the base class names and on novel_val with the novel ones
# (one run per seed; average base and novel over the seeds, then the HM).
#
# Data layout (relative to the repository root):
#   data/ucf101/videos/<name>.avi (flat)
#   data/ucf101/splits/  a copy of ViFi-CLIP's ``datasets_splits/`` and
#       ``labels/`` folders (github.com/muzairkhattak/ViFi-CLIP), i.e.
#       data/ucf101/splits/datasets_splits/base2novel_splits/ucf_splits/
#           fs_base_s{1,2,3}_train.txt, base_val.txt, novel_val.txt
#       data/ucf101/splits/labels/ucf_101_{base,novel}_labels.csv
#
# Seed split: 1, 2 or 3 (``fs_base_s{N}_train.txt``) from the environment
# variable SEED_SPLIT, 1 when unset, e.g. for seed 2:
#   SEED_SPLIT=2 bash tools/dist_train.sh CONFIG 8
# mmengine substitutes environment variables when it reads this file, so it
# works with every launcher (dist_train.sh, slurm_train.sh, MMAction2's
# own tools, mim). Our tools/train.py and tools/test.py then default the
# work dir to work_dirs/<config name>_s<N> (unless --work-dir is given), so
# the seeds' checkpoints and results never share a folder; with MMAction2's
# stock tools or mim pass --work-dir yourself.
data_root = 'data/ucf101/videos'
split_root = ('data/ucf101/splits/datasets_splits/base2novel_splits/'
              'ucf_splits')
label_root = 'data/ucf101/splits/labels'
seed_split = '{{$SEED_SPLIT:1}}'
ann_file_train = f'{split_root}/fs_base_s{seed_split}_train.txt'
class_names_train = f'{label_root}/ucf_101_base_labels.csv'
val_groups = [
    dict(
        name='base',
        ann_file=f'{split_root}/base_val.txt',
        class_names=f'{label_root}/ucf_101_base_labels.csv'),
    dict(
        name='novel',
        ann_file=f'{split_root}/novel_val.txt',
        class_names=f'{label_root}/ucf_101_novel_labels.csv')
]

# TSN-style segments with one frame each (random in training, centre in
# testing; PROTOCOLS.md) come from UniformSample. SampleFrames(clip_len=1,
# num_clips=T) samples the same frames, but FormatShape('NCTHW') would then
# make T one-frame clips instead of one T-frame clip.
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=32, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256), lazy=True),
    dict(
        type='MultiScaleCrop',
        input_size=224,
        scales=(1, .875, .75, .66),
        random_crop=False,
        max_wh_scale_gap=1,
        lazy=True),
    dict(type='Resize', scale=(224, 224), keep_ratio=False, lazy=True),
    dict(type='Flip', flip_ratio=0.5, lazy=True),
    # Colour jitter (0.4, 0.4, 0.2, 0.1) with p 0.8 and grayscale p 0.2 as
    # ViFi-CLIP: done batched on the device by the model's
    # ColorJitterDataPreprocessor, not here (torchvision's per-frame jitter
    # costs ~1.5 s per 32-frame clip on a CPU worker; benchmarks/README.md).
    # Resize / crop / flip are lazy and Fuse applies them in one crop and
    # one resize per frame.
    dict(type='Fuse'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]

val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=32, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]

test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='OpenVocabVideoDataset',
        ann_file=ann_file_train,
        class_names=class_names_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))

val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='BaseNovelVideoDataset',
        groups=val_groups,
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

# Each video is classified among its own group's classes; ``hm`` first.
val_evaluator = dict(type='BaseNovelAccMetric')
test_evaluator = val_evaluator
