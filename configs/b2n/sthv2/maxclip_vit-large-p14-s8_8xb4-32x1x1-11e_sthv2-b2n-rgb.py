# MaxCLIP ViT-L/14, s = 8 (token max-pool after attention), max-pooled frames;
# SSv2 base-to-novel, 8 GPUs x 4 videos x 2 accumulation steps = batch 64.
# Table 1 (base / novel / HM, mean of 3 seeds): 23.1 / 16.1 / 19.0.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=8),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
