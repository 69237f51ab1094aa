# ViFi-CLIP baseline: plain CLIP (s = 0), mean-pooled frame features;
# Kinetics-400 base-to-novel. PAPER.md Table 1: 76.4 / 61.1 / 67.9.
_base_ = [
    '../b2n/kinetics400/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_kinetics400-b2n-rgb.py'
]

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='mean'))
