# ViFi-CLIP baseline: plain CLIP (s = 0), mean-pooled frame features;
# fully supervised Kinetics-400. PAPER.md Table 3 (top-1 / top-5): 83.9 / 96.3.
_base_ = ['maxclip_vit-base-p16-s3_8xb16-16x1x1-30e_kinetics400-rgb.py']

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='mean'))
