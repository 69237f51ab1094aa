# ViFi-CLIP baseline: plain CLIP (s = 0), mean-pooled frame
# features; SSv2 few-shot, K = 16. Other K: override
# train_dataloader.dataset.ann_file as the maxclip K = 2 / 4 / 8 configs do.
_base_ = ['maxclip_vit-base-p16-s3_8xb8-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(backbone=dict(pool_layers=0), cls_head=dict(pooling='mean'))
