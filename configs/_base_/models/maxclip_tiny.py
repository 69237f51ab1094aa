# A tiny MaxCLIP (random init): the tiny ViFi-CLIP with token max-pool in
# the last block and max-pooled frames.
_base_ = ['./vificlip_tiny.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
