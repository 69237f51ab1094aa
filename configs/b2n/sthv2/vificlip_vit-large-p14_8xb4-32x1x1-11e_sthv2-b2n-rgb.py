# ViFi-CLIP ViT-L/14 (baseline): no token pool, mean-pooled frames;
# SSv2 base-to-novel, ViT-L/14 ablation. Table 13 (base / novel /
# HM): 20.3 / 15.3 / 17.6.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch), cls_head=dict(clip_arch=clip_arch))
