# A tiny MaxCLIP (random init, s = 1, max-pooled frames) on your own
# videos, for a first run on a CPU (docs/custom_data.md).
_base_ = ['./vificlip_tiny_1xb4-8x1x1-5e_custom-rgb.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
