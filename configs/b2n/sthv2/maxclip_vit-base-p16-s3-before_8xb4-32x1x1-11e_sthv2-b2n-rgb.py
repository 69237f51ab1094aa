# MaxCLIP ViT-B/16, s = 3 (token max-pool before the block), max-pooled frames;
# SSv2 base-to-novel, pool position ablation. Table 9 (base top-1):
# 17.8 (after: 18.0).
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(
    backbone=dict(pool_layers=3, pool_position='before'),
    cls_head=dict(pooling='max'))
