# MaxCLIP ViT-B/16, s = 1 (token max-pool in the last block, after
# attention), max-pooled frame features; UCF101 base-to-novel, 32 frames,
# 8 GPUs x 8 videos = batch 64.
# Not reported in the paper (ViFi-CLIP protocol dataset).
_base_ = [
    '../../_base_/models/maxclip_vit-base-p16.py',
    '../../_base_/datasets/ucf101_b2n.py',
    '../../_base_/schedules/adamw_11e_b2n.py',
    '../../_base_/default_runtime.py'
]

# Mixup 0.8 / CutMix 1.0 (one of them per batch) on soft targets with label
# smoothing 0.1 (PROTOCOLS.md); num_classes = classes of the training set.
# Less memory: --cfg-options model.backbone.grad_checkpointing=True.
model = dict(
    backbone=dict(num_frames=32, pool_layers=1, grad_checkpointing=False),
    cls_head=dict(label_smooth_eps=0.1),
    data_preprocessor=dict(
        blending=dict(
            type='RandomBatchAugment',
            augments=[
                dict(type='MixupBlending', alpha=0.8, num_classes=51),
                dict(type='CutmixBlending', alpha=1.0, num_classes=51)
            ],
            probs=[0.5, 0.5])))
