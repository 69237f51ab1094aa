# ViFi-CLIP's video pipelines, loaders, blending and metric, defined once:
# every configs/_base_/datasets/*.py inherits this file and adds only its
# paths, label files and class counts.
#
# Named switches (environment variables: mmengine substitutes them when it
# reads this file, so they work with every launcher, like SEED_SPLIT):
#   FRAME_SAMPLER=uniform  MMAction2's UniformSample instead of
#       SegmentSample (ViFi-CLIP's indices): frames spread over the whole
#       video in training too.
#   FLIP_RATIO=0  no horizontal flip in training (TC-CLIP's SSv2 setting;
#       ViFi-CLIP flips with p 0.5 on every dataset).
#   RANDOM_VIEWS=1  the supervised 4 x 3 test draws its 4 clips at random,
#       as ViFi-CLIP (datasets/build.py L300); 0 (default): fixed offsets.
# e.g. FLIP_RATIO=0 bash tools/dist_train.sh configs/maxclip_ssv2_b2n.py 8
# A list entry cannot be addressed by name in ``--cfg-options``, and a
# value set in a child config does not rebuild a pipeline built here; a
# child config can still rebuild one, e.g. without flip:
#   train_dataloader = dict(dataset=dict(pipeline=[
#       dict(t, flip_ratio=0) if t.type == 'Flip' else t
#       for t in _base_.train_pipeline]))
frame_sampler = '{{$FRAME_SAMPLER:segment}}'
flip_ratio = float('{{$FLIP_RATIO:0.5}}')
random_views = '{{$RANDOM_VIEWS:0}}' not in ('0', '')
if frame_sampler not in ('segment', 'uniform'):
    raise ValueError(f'FRAME_SAMPLER={frame_sampler!r}: expected segment '
                     f'(SegmentSample) or uniform (UniformSample)')


def sample(num_frames, test_mode=False, num_views=1):
    """One clip of ``num_frames`` frames per view.

    SegmentSample: MMAction2's SampleFrames(clip_len=1, num_clips=T)
    indices (ViFi-CLIP datasets/build.py L249, L287) as one T-frame clip.
    In training each of T segments of floor(N / T) frames gives one random
    frame, so a video of N < 2T frames always gives frames 0 .. T-1; at
    test the segment centres span the whole video. UniformSample divides
    the video into T segments of N / T frames (no floor), so the two draw
    different frames: for N = 48, T = 32 UniformSample reaches frame 47 in
    training and SegmentSample stays in 0 .. 31, and their test frames
    differ too.
    """
    if frame_sampler == 'uniform':
        return dict(
            type='UniformSample',
            clip_len=num_frames,
            num_clips=num_views,
            test_mode=test_mode)
    if num_views == 1 and not test_mode:
        return dict(type='SegmentSample', num_segments=num_frames)
    if num_views == 1:
        return dict(
            type='SegmentSample', num_segments=num_frames, test_mode=True)
    return dict(
        type='SegmentSample',
        num_segments=num_frames,
        num_views=num_views,
        random_views=random_views,
        test_mode=test_mode)


def decode(sampler):
    """The decode steps of every pipeline, in this one place."""
    return [
        dict(type='SafeDecordInit', io_backend='disk'), sampler,
        dict(type='DecordDecode')
    ]


pack = [
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]


def train_pipeline_of(num_frames, size=224):
    # Resize / crop / flip are lazy and Fuse applies them in one crop and
    # one resize per frame. Colour jitter (0.4, 0.4, 0.2, 0.1) with p 0.8
    # and grayscale p 0.2 (ViFi-CLIP datasets/build.py L260-261) run
    # batched on the device in the model's ColorJitterDataPreprocessor.
    return decode(sample(num_frames)) + [
        dict(type='Resize', scale=(-1, int(256 / 224 * size)), lazy=True),
        dict(
            type='MultiScaleCrop',
            input_size=size,
            scales=(1, .875, .75, .66),
            random_crop=False,
            max_wh_scale_gap=1,
            lazy=True),
        dict(type='Resize', scale=(size, size), keep_ratio=False, lazy=True),
        dict(type='Flip', flip_ratio=flip_ratio, lazy=True),
        dict(type='Fuse')
    ] + pack


def test_pipeline_of(num_frames, num_views=1, size=224):
    # 1 view: short side 256, centre crop 224; 4 x 3 views: short side 224
    # and three 224 crops (ViFi-CLIP datasets/build.py L245, L289-300).
    if num_views == 1:
        crop = [
            dict(type='Resize', scale=(-1, int(256 / 224 * size))),
            dict(type='CenterCrop', crop_size=size)
        ]
    else:
        crop = [
            dict(type='Resize', scale=(-1, size)),
            dict(type='ThreeCrop', crop_size=size)
        ]
    return decode(sample(num_frames, True, num_views)) + crop + pack


train_pipeline = train_pipeline_of(32)
val_pipeline = test_pipeline_of(32)
test_pipeline = val_pipeline
train_pipeline_16f = train_pipeline_of(16)
val_pipeline_16f = test_pipeline_of(16)
# The supervised test: 4 clips x 3 crops of 16 frames; the head softmaxes
# each view and averages (average_clips='prob').
test_pipeline_4x3_16f = test_pipeline_of(16, num_views=4)
# The same steps for the tiny CPU models: 8 frames of 32 px.
tiny_train_pipeline = train_pipeline_of(8, size=32)
tiny_val_pipeline = test_pipeline_of(8, size=32)

# ViFi-CLIP: 4 videos per GPU (the micro-batch mixup/cutmix pair within),
# accumulated to the recipe's batch by the schedule's accumulative_counts;
# the last partial batch is dropped (datasets/build.py L276-283).
train_dataloader = dict(
    batch_size=4,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='OpenVocabVideoDataset', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='OpenVocabVideoDataset', pipeline=val_pipeline, test_mode=True))
test_dataloader = val_dataloader

# Counts unreadable test videos as wrong and reports how many.
val_evaluator = dict(type='FailureAwareAccMetric')
test_evaluator = val_evaluator

# Mixup 0.8 / CutMix 1.0, one of them per batch (switch prob 0.5), on soft
# targets (ViFi-CLIP main.py L61-67, utils/config.py L68-73); each dataset
# file sets num_classes to its training classes and the configs put the
# result in model.data_preprocessor.blending.
blending = dict(
    type='RandomBatchAugment',
    augments=[
        dict(type='MixupBlending', alpha=0.8),
        dict(type='CutmixBlending', alpha=1.0)
    ],
    probs=[0.5, 0.5])
