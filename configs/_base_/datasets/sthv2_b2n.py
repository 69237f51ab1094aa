# Something-Something v2 base-to-novel, ViFi-CLIP's protocol: train on the
# 16-shot base split of one seed, evaluate one checkpoint on base_val with
# the base class names and on novel_val with the novel ones (one run per
# seed; average base and novel over the seeds, then the HM, as the paper
# reports it).
#
# Data layout (relative to the repository root):
#   data/sthv2/videos/<id>.webm
#   data/sthv2/splits/  a copy of ViFi-CLIP's ``datasets_splits/`` and
#       ``labels/`` folders (github.com/muzairkhattak/ViFi-CLIP):
#       data/sthv2/splits/datasets_splits/base2novel_splits/ssv2_splits/
#           fs_base_s{1,2,3}_train.txt, base_val.txt, novel_val.txt
#       data/sthv2/splits/labels/ssv2_174_{base,novel}_labels.csv
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
_base_ = ['./video_pipelines.py']

data_root = 'data/sthv2/videos'
split_root = ('data/sthv2/splits/datasets_splits/base2novel_splits/'
              'ssv2_splits')
label_root = 'data/sthv2/splits/labels'
seed_split = '{{$SEED_SPLIT:1}}'
ann_file_train = f'{split_root}/fs_base_s{seed_split}_train.txt'
class_names_train = f'{label_root}/ssv2_174_base_labels.csv'
num_classes_train = 87  # rows of ssv2_174_base_labels.csv
val_groups = [
    dict(
        name='base',
        ann_file=f'{split_root}/base_val.txt',
        class_names=f'{label_root}/ssv2_174_base_labels.csv'),
    dict(
        name='novel',
        ann_file=f'{split_root}/novel_val.txt',
        class_names=f'{label_root}/ssv2_174_novel_labels.csv')
]

train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train,
        class_names=class_names_train,
        data_prefix=dict(video=data_root)))
val_dataloader = dict(
    dataset=dict(
        type='BaseNovelVideoDataset',
        groups=val_groups,
        data_prefix=dict(video=data_root)))
test_dataloader = val_dataloader

# Each video is classified among its own group's classes; ``hm`` first.
val_evaluator = dict(type='BaseNovelAccMetric')
test_evaluator = val_evaluator

blending = dict(augments=[
    dict(a, num_classes=num_classes_train) for a in _base_.blending.augments
])
