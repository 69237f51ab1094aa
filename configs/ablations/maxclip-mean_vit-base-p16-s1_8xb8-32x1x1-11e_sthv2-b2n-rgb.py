# Token max-pool (s = 1) with mean-pooled frame features; SSv2
# base-to-novel. PAPER.md ablations (base / novel): 16.40 / 12.01. The s
# sweep with mean features: the s3, s6, s9 and s12 children of this file;
# Table 1's "mean features + token pool" row (16.8 / 12.8 / 14.5) is s12.
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

model = dict(cls_head=dict(pooling='mean'))
