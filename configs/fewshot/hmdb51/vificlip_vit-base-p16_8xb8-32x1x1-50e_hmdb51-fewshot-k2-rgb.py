# ViFi-CLIP baseline: plain CLIP (s = 0), mean-pooled frame
# features; HMDB51 few-shot, K = 2.
_base_ = ['maxclip_vit-base-p16-s3_8xb8-32x1x1-50e_hmdb51-fewshot-k2-rgb.py']

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='mean'))
