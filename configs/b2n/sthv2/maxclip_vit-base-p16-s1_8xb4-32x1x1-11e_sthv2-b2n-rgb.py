# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), max-pooled
# frames; SSv2 base-to-novel, 32 frames, 8 GPUs x 4 videos x 2 accumulation
# steps = batch 64. Table 1 (base / novel / HM, mean of 3 seeds): 18.2 / 13.3
# / 15.4.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
