# ViFi-CLIP baseline: plain CLIP (s = 0), mean-pooled frame features;
# SSv2 base-to-novel. PAPER.md Table 1: 16.2 / 12.1 / 13.9.
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='mean'))
