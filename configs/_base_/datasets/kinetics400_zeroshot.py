# Kinetics-400 (all 400 classes) for zero-shot transfer, ViFi-CLIP's
# protocol: 32 frames, validated on K-400 val with 1 view; the zero-shot
# test sets are set by the configs in configs/zeroshot/.
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
        data_prefix=dict(video=data_root)))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val,
        class_names=class_names,
        data_prefix=dict(video=data_root_val)))
test_dataloader = val_dataloader

blending = dict(augments=[
    dict(a, num_classes=num_classes_train) for a in _base_.blending.augments
])
