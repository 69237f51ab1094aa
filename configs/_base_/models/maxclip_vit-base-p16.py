# MaxCLIP ViT-B/16: ViFi-CLIP with the paper's two changes (Sec. 3):
# token max-pool over time in the last s blocks (after attention; s = 1,
# the base-to-novel setting) and max-pooled frame embeddings.
_base_ = ['./vificlip_vit-base-p16.py']

model = dict(
    backbone=dict(pool_layers=1, pool_position='after'),
    cls_head=dict(pooling='max'))
