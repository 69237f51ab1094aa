# A plain (closed-set) dataset of your own videos: train, validate and test
# on the same classes (docs/custom_data.md walks through it).
#
# Layout (the folder is data/custom, or CUSTOM_DATA=/path/to/folder in the
# environment; mmengine substitutes it when it reads this file):
#   classes.txt   one class name a line; line i (from 0) is label i. The
#                 names are the text prompts ('a photo of a {name}.').
#   train.txt, val.txt, test.txt   one video a line: ``<path> <label>``,
#                 the path relative to videos/
#   videos/       the video files (any format decord reads)
# A missing file fails when the dataset is built, naming the file.
_base_ = ['./video_pipelines.py']

data_root = '{{$CUSTOM_DATA:data/custom}}'
class_names = 'classes.txt'
# Mixup / cutmix one-hot targets need the class count: the lines of
# classes.txt (0 until the folder exists).
try:
    with open(f'{data_root}/{class_names}') as f:
        num_classes_train = sum(1 for line in f if line.strip())
        del f  # a config keeps no open file
except FileNotFoundError:
    num_classes_train = 0


def plain(ann_file):
    return dict(
        data_root=data_root,
        ann_file=ann_file,
        class_names=class_names,
        data_prefix=dict(video='videos'))


train_dataloader = dict(dataset=plain('train.txt'))
val_dataloader = dict(dataset=plain('val.txt'))
test_dataloader = dict(dataset=plain('test.txt'))

blending = dict(augments=[
    dict(a, num_classes=num_classes_train) for a in _base_.blending.augments
])
