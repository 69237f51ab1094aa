# ViFi-CLIP baseline on SynthMotion: no token pool (s=0), mean-pooled frames.
_base_ = ['./maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py']

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='mean'))
