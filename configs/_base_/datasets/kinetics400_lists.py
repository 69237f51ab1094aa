# Kinetics-400's 400-class train and val lists, for the supervised and
# zero-shot training bases. Which lists, by the K400_LISTS environment
# variable (read when the config loads, like SEED_SPLIT):
#   vificlip (default): ViFi-CLIP's own lists, the ones its supervised and
#       zero-shot numbers come from (ViFi-CLIP
#       configs/fully_supervised/k400/16_16_vifi_clip.yaml and
#       configs/zero_shot/train/k400/16_16_vifi_clip.yaml, DATA.TRAIN_FILE,
#       VAL_FILE, LABEL_LIST); paths relative to one video folder:
#         data/kinetics400/videos/{train,val}/<id>.mp4
#         data/kinetics400/splits/datasets_splits/k400_splits/
#             train.txt, val.txt  (``train/<id>.mp4 label``)
#         data/kinetics400/splits/labels/kinetics_400_labels.csv
#   mmaction: MMAction2's lists (its tools/data/kinetics), each relative to
#       its split's folder:
#         data/kinetics400/kinetics400_{train,val}_list_videos.txt
#         data/kinetics400/label_map_k400.txt
# Both give the same 400 names in the same order; the videos listed differ
# (ViFi-CLIP's val list has 19,877), so the reported top-1 covers another
# set of videos with the mmaction lists.
k400_lists = '{{$K400_LISTS:vificlip}}'
if k400_lists == 'vificlip':
    k400_splits = 'data/kinetics400/splits'
    ann_file_train = f'{k400_splits}/datasets_splits/k400_splits/train.txt'
    ann_file_val = f'{k400_splits}/datasets_splits/k400_splits/val.txt'
    class_names = f'{k400_splits}/labels/kinetics_400_labels.csv'
    video_prefix_train = video_prefix_val = 'data/kinetics400/videos'
elif k400_lists == 'mmaction':
    ann_file_train = 'data/kinetics400/kinetics400_train_list_videos.txt'
    ann_file_val = 'data/kinetics400/kinetics400_val_list_videos.txt'
    class_names = 'data/kinetics400/label_map_k400.txt'
    video_prefix_train = 'data/kinetics400/videos/train'
    video_prefix_val = 'data/kinetics400/videos/val'
else:
    raise ValueError(f'K400_LISTS={k400_lists!r}: expected vificlip '
                     f"(ViFi-CLIP's k400_splits lists) or mmaction "
                     f"(MMAction2's kinetics400_*_list_videos.txt)")
class_names_train = class_names
num_classes_train = 400  # rows of either label file
