# SSv2 few-shot, ViFi-CLIP's protocol: train on K videos per class over
# all classes (``train1_few_shot_{2,4,8,16}.txt``; K = 16 here, the
# configs for other K set ``train_dataloader.dataset.ann_file``), test on
# the full SSv2 validation list (ViFi-CLIP's ``validation.txt``).
#
# Data layout (relative to the repository root):
#   data/sthv2/videos/<id>.webm
#   data/sthv2/splits/  a copy of ViFi-CLIP's ``datasets_splits/`` and
#       ``labels/`` folders (github.com/muzairkhattak/ViFi-CLIP):
#       data/sthv2/splits/datasets_splits/ssv2_splits/
#           train1_few_shot_{2,4,8,16}.txt, validation.txt
#       data/sthv2/splits/labels/ssv2_labels.csv
_base_ = ['./video_pipelines.py']

data_root = 'data/sthv2/videos'
split_root = 'data/sthv2/splits/datasets_splits/ssv2_splits'
class_names = 'data/sthv2/splits/labels/ssv2_labels.csv'
num_classes_train = 174  # rows of ssv2_labels.csv
ann_file_train = f'{split_root}/train1_few_shot_16.txt'
class_names_train = class_names
ann_file_val = f'{split_root}/validation.txt'

train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train,
        class_names=class_names_train,
        data_prefix=dict(video=data_root)))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val,
        class_names=class_names,
        data_prefix=dict(video=data_root)))
test_dataloader = val_dataloader

blending = dict(augments=[
    dict(a, num_classes=num_classes_train) for a in _base_.blending.augments
])
