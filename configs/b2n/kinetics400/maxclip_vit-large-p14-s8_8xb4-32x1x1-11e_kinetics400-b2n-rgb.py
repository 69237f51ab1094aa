# MaxCLIP ViT-L/14, s = 8 (token max-pool after attention), max-pooled
# frames; Kinetics-400 base-to-novel, 8 GPUs x 4 videos x 2 accumulation
# steps = batch 64. Table 1 (base / novel / HM, mean of 3 seeds): 83.1 / 67.1
# / 74.3.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_kinetics400-b2n-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=8),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
