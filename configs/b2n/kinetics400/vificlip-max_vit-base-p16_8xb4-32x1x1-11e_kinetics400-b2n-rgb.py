# ViFi-CLIP-max ViT-B/16 (baseline): no token pool, max-pooled frames;
# Kinetics-400 base-to-novel. Table 1 (base / novel / HM): 77.6 / 58.6 / 66.8.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_kinetics400-b2n-rgb.py']

model = dict(cls_head=dict(pooling='max'))
