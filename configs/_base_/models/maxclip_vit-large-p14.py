# MaxCLIP ViT-L/14: the ViT-B/16 model with CLIP ViT-L/14 towers and the
# paper's base-to-novel setting s = 8 (Table 1; few-shot uses s = 4 on
# SSv2 and s = 3 on HMDB51 / UCF101, Table 2).
_base_ = ['./maxclip_vit-base-p16.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=8),
    cls_head=dict(clip_arch=clip_arch))
