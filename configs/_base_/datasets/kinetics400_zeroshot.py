# Kinetics-400 (all 400 classes) for zero-shot transfer, ViFi-CLIP's
# protocol: 32 frames, validated on K-400 val with 1 view; the zero-shot
# test sets are set by the configs in configs/zeroshot/.
# Lists and data layout: configs/_base_/datasets/kinetics400_lists.py
# (ViFi-CLIP's lists by default, MMAction2's with K400_LISTS=mmaction).
_base_ = ['./video_pipelines.py', './kinetics400_lists.py']

train_dataloader = dict(
    dataset=dict(
        ann_file=_base_.ann_file_train,
        class_names=_base_.class_names_train,
        data_prefix=dict(video=_base_.video_prefix_train)))
val_dataloader = dict(
    dataset=dict(
        ann_file=_base_.ann_file_val,
        class_names=_base_.class_names,
        data_prefix=dict(video=_base_.video_prefix_val)))
test_dataloader = val_dataloader

blending = dict(augments=[
    dict(a, num_classes=_base_.num_classes_train)
    for a in _base_.blending.augments
])
