# Kinetics-400 fully supervised, ViFi-CLIP's protocol: 16 frames;
# validated with 1 clip x 1 crop, tested with 4 clips x 3 crops
# (ViFi-CLIP main.py L120-128, datasets/build.py L296-300). Which clips:
# SegmentSample's fixed offsets by default, ViFi-CLIP's random draws with
# RANDOM_VIEWS=1 (configs/_base_/datasets/video_pipelines.py).
# Lists and data layout: configs/_base_/datasets/kinetics400_lists.py
# (ViFi-CLIP's lists by default, MMAction2's with K400_LISTS=mmaction).
_base_ = ['./video_pipelines.py', './kinetics400_lists.py']

train_dataloader = dict(
    dataset=dict(
        ann_file=_base_.ann_file_train,
        class_names=_base_.class_names_train,
        data_prefix=dict(video=_base_.video_prefix_train),
        pipeline=_base_.train_pipeline_16f))
val_dataloader = dict(
    dataset=dict(
        ann_file=_base_.ann_file_val,
        class_names=_base_.class_names,
        data_prefix=dict(video=_base_.video_prefix_val),
        pipeline=_base_.val_pipeline_16f))
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        ann_file=_base_.ann_file_val,
        class_names=_base_.class_names,
        data_prefix=dict(video=_base_.video_prefix_val),
        pipeline=_base_.test_pipeline_4x3_16f))

blending = dict(augments=[
    dict(a, num_classes=_base_.num_classes_train)
    for a in _base_.blending.augments
])
