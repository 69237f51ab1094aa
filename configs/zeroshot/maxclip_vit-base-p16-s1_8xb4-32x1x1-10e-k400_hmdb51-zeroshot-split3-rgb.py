# Zero-shot HMDB51, split 3: test the
# K-400 checkpoint of
# maxclip_vit-base-p16-s1_8xb4-32x1x1-10e_kinetics400-zeroshot-rgb
# on this split with its own class names (1 clip x 1 crop); report the
# mean and std over the 3 splits (tools/report_results.py zeroshot
# with the three test work dirs). Data: ViFi-CLIP's split and label files
# (github.com/muzairkhattak/ViFi-CLIP) under data/hmdb51/splits/.
_base_ = [
    'maxclip_vit-base-p16-s1_8xb4-32x1x1-10e_kinetics400-zeroshot-rgb.py'
]

test_dataloader = dict(
    dataset=dict(
        ann_file='data/hmdb51/splits/datasets_splits/hmdb_splits/val3.txt',
        class_names='data/hmdb51/splits/labels/hmdb_51_labels.csv',
        data_prefix=dict(video='data/hmdb51/videos')))
