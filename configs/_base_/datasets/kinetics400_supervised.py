# Kinetics-400 fully supervised, ViFi-CLIP's protocol: 16 frames;
# validated with 1 clip x 1 crop, tested with 4 clips x 3 crops
# (ViFi-CLIP main.py L120-128, datasets/build.py L296-300). Which clips:
# SegmentSample's fixed offsets by default, ViFi-CLIP's random draws with
# RANDOM_VIEWS=1 (configs/_base_/datasets/video_pipelines.py).
# Data layout (relative to the repository root), MMAction2's Kinetics-400
# lists (tools/data/kinetics) over one video folder shared with the
# base-to-novel configs:
#   data/kinetics400/videos/train/<id>.mp4, data/kinetics400/videos/val/...
#   data/kinetics400/kinetics400_train_list_videos.txt  (``<id>.mp4 label``,
#       relative to videos/train)
#   data/kinetics400/kinetics400_val_list_videos.txt  (relative to videos/val)
#   data/kinetics400/label_map_k400.txt  (MMAction2's class names, one a
#       line, in label order)
_base_ = ['./video_pipelines.py']

data_root = 'data/kinetics400/videos/train'
data_root_val = 'data/kinetics400/videos/val'
ann_file_train = 'data/kinetics400/kinetics400_train_list_videos.txt'
ann_file_val = 'data/kinetics400/kinetics400_val_list_videos.txt'
class_names = 'data/kinetics400/label_map_k400.txt'
class_names_train = class_names
num_classes_train = 400  # lines of label_map_k400.txt

train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train,
        class_names=class_names_train,
        data_prefix=dict(video=data_root),
        pipeline=_base_.train_pipeline_16f))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val,
        class_names=class_names,
        data_prefix=dict(video=data_root_val),
        pipeline=_base_.val_pipeline_16f))
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        ann_file=ann_file_val,
        class_names=class_names,
        data_prefix=dict(video=data_root_val),
        pipeline=_base_.test_pipeline_4x3_16f))

blending = dict(augments=[
    dict(a, num_classes=num_classes_train) for a in _base_.blending.augments
])
