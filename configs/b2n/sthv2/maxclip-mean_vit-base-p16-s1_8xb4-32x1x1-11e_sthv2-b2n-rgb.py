# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), mean-pooled frames;
# SSv2 base-to-novel, s sweep with mean-pooled frames. Table 4
# (base / novel): 16.40 / 12.01.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=1))
