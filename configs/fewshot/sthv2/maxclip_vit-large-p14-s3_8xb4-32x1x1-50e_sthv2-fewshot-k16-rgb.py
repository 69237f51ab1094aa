# MaxCLIP ViT-L/14, s = 3 (token max-pool after attention), max-pooled frames;
# Table 13 (few-shot column), ViT-L/14 s = 3 (s = 4: the Table 2 config).
# SSv2 few-shot with K = 16 videos per class; other K: --cfg-options
# train_dataloader.dataset.ann_file=<split_root>/train1_few_shot_K.txt
# (split_root: configs/_base_/datasets/sthv2_fewshot.py).
# The paper's number for this row is in that table; it is not copied into
# this repository's model zoo yet.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=3),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
