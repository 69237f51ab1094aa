# ViFi-CLIP-max ViT-B/16 (baseline): no token pool, max-pooled frames;
# fully supervised Kinetics-400, 16 frames, 4 x 3 test views.
# Table 3 (top-1 / top-5): 84.1 / 96.6.
_base_ = ['./vificlip_vit-base-p16_8xb4-16x1x1-30e_kinetics400-rgb.py']

model = dict(cls_head=dict(pooling='max'))
