# Kinetics-400 fully supervised, ViFi-CLIP protocol (PROTOCOLS.md):
# 16 frames; tested with 4 clips x 3 crops.
# Data layout (relative to the repository root), MMAction2's Kinetics-400
# lists (tools/data/kinetics) over one video folder shared with the
# base-to-novel configs:
#   data/kinetics400/videos/train/<id>.mp4, data/kinetics400/videos/val/...
#   data/kinetics400/kinetics400_train_list_videos.txt  (``<id>.mp4 label``,
#       relative to videos/train)
#   data/kinetics400/kinetics400_val_list_videos.txt  (relative to videos/val)
#   data/kinetics400/label_map_k400.txt  (MMAction2's class names, one a
#       line, in label order)
data_root = 'data/kinetics400/videos/train'
data_root_val = 'data/kinetics400/videos/val'
ann_file_train = 'data/kinetics400/kinetics400_train_list_videos.txt'
ann_file_val = 'data/kinetics400/kinetics400_val_list_videos.txt'
class_names = 'data/kinetics400/label_map_k400.txt'
class_names_train = class_names

# TSN-style segments with one frame each (random in training, centre in
# testing; PROTOCOLS.md) come from UniformSample. SampleFrames(clip_len=1,
# num_clips=T) samples the same frames, but FormatShape('NCTHW') would then
# make T one-frame clips instead of one T-frame clip.
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=16, num_clips=1),
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

# Validation: 1 clip x 1 centre crop.
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=16, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]

# 4 clips x 3 crops (PROTOCOLS.md): 4 temporal offsets inside each of the
# 16 segments, short side 224 and three 224 crops; the head softmaxes each
# view and averages (average_clips='prob').
test_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=16, num_clips=4, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 224)),
    dict(type='ThreeCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]

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
        type='OpenVocabVideoDataset',
        ann_file=ann_file_val,
        class_names=class_names,
        data_prefix=dict(video=data_root_val),
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='OpenVocabVideoDataset',
        ann_file=ann_file_val,
        class_names=class_names,
        data_prefix=dict(video=data_root_val),
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='FailureAwareAccMetric')
test_evaluator = val_evaluator
