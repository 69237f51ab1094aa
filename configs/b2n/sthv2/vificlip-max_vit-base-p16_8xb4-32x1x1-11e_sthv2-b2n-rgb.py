# ViFi-CLIP-max ViT-B/16 (baseline): no token pool, max-pooled frames;
# SSv2 base-to-novel. Table 1 (base / novel / HM): 17.4 / 11.3 / 13.7.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(cls_head=dict(pooling='max'))
