# MaxCLIP ViT-L/14, s = 24 (token max-pool after attention), max-pooled frames;
# SSv2 base-to-novel, ViT-L/14 ablation. Table 13 (base / novel /
# HM): 23.0 / 14.8 / 18.0.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=24),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
