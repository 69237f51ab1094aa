# Token max-pool (s = 1) with mean-pooled frame features; Kinetics-400
# base-to-novel. No paper number: Table 1's "mean features + token pool"
# row is s = 12 (the s12 child of this file; on SSv2 its numbers are the
# s = 12 ablation's). Other s: --cfg-options model.backbone.pool_layers=S.
_base_ = [
    '../b2n/kinetics400/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_kinetics400-b2n-rgb.py'
]

model = dict(cls_head=dict(pooling='mean'))
