# Token max-pool (s = 1) with mean-pooled frame features; SSv2
# base-to-novel. PAPER.md Table 1: 16.8 / 12.8 / 14.5. The s sweep with mean
# features: --cfg-options model.backbone.pool_layers=S.
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

model = dict(cls_head=dict(pooling='mean'))
