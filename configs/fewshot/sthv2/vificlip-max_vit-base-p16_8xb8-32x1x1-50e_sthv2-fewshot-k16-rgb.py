# ViFi-CLIP-max baseline: plain CLIP (s = 0), max-pooled frame
# features; SSv2 few-shot, K = 16 (K = 2 / 4 / 8: the k2,
# k4, k8 siblings).
_base_ = ['maxclip_vit-base-p16-s3_8xb8-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='max'))
