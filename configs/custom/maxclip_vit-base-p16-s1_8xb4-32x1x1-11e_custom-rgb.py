# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), max-pooled
# frames, on your own videos (docs/custom_data.md). Other s:
# --cfg-options model.backbone.pool_layers=S.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_custom-rgb.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
