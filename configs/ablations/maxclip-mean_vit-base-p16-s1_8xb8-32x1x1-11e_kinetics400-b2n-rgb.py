# Token max-pool (s = 1) with mean-pooled frame features; Kinetics-400
# base-to-novel. PAPER.md Table 1: 76.4 / 61.5 / 68.2. The s sweep with mean
# features: --cfg-options model.backbone.pool_layers=S.
_base_ = [
    '../b2n/kinetics400/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_kinetics400-b2n-rgb.py'
]

model = dict(cls_head=dict(pooling='mean'))
