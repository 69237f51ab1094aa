# Headline config: MaxCLIP ViT-B/16, s = 1, SSv2 base-to-novel, 8 GPUs,
# seed split s1. Seed 2 (seed 3 alike):
#   S=data/sthv2/splits/datasets_splits/base2novel_splits/ssv2_splits
#   bash tools/dist_train.sh configs/maxclip_ssv2_b2n.py 8 \
#       --work-dir work_dirs/maxclip_ssv2_b2n_s2 \
#       --cfg-options train_dataloader.dataset.ann_file=$S/fs_base_s2_train.txt
_base_ = ['b2n/sthv2/maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py']
