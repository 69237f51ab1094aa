# MaxCLIP ViT-B/16, s = 3 (token max-pool after attention), max-pooled frames;
# fully supervised Kinetics-400, 16 frames, 4 x 3 test views.
# Table 3 (top-1 / top-5): 83.9 / 96.2.
_base_ = ['./vificlip_vit-base-p16_8xb4-16x1x1-30e_kinetics400-rgb.py']

model = dict(backbone=dict(pool_layers=3), cls_head=dict(pooling='max'))
