# MaxCLIP ViT-B/16, s = 3 (token max-pool after attention), mean-pooled frames;
# SSv2 base-to-novel, s sweep with mean-pooled frames. Table 4
# (base / novel): 16.49 / 12.11.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=3))
