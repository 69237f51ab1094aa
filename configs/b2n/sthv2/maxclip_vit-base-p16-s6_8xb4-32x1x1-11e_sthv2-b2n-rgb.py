# MaxCLIP ViT-B/16, s = 6 (token max-pool after attention), max-pooled frames;
# SSv2 base-to-novel, s sweep. Table 7 (base / novel / HM):
# 17.7 / 12.8 / 14.9.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=6), cls_head=dict(pooling='max'))
