# MaxCLIP ViT-L/14: the ViT-B/16 model with CLIP ViT-L/14 towers and the
# paper's base-to-novel setting s = 8 (PAPER.md; few-shot uses s = 4 on
# SSv2 and s = 3 on HMDB51/UCF101).
# The benchmark configs reach ViT-L/14 by overriding ``clip_arch`` and
# ``pool_layers`` of their folder's ViT-B/16 config, because mmengine
# refuses two bases that both define ``model``; this file is the building
# block for new configs that start from ViT-L/14.
clip_arch = 'ViT-L-14'
pretrained = 'openai'
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='MaxCLIPViT',
        clip_arch=clip_arch,
        pretrained=pretrained,
        num_frames=32,
        pool_layers=8,
        pool_position='after',
        # True recomputes each block in backward: less memory, more compute.
        grad_checkpointing=False),
    cls_head=dict(
        type='VideoTextHead',
        clip_arch=clip_arch,
        pretrained=pretrained,
        class_names=None,  # set from the dataset by ClassNamesHook
        templates=('a photo of a {}.', ),
        pooling='max',
        average_clips='prob'),
    data_preprocessor=dict(
        # MMAction2's ActionDataPreprocessor plus ViFi-CLIP's colour jitter
        # (p 0.8) and grayscale (p 0.2), batched on the device, training
        # only. ViFi-CLIP normalises with ImageNet statistics (PROTOCOLS).
        type='ColorJitterDataPreprocessor',
        brightness=0.4,
        contrast=0.4,
        saturation=0.2,
        hue=0.1,
        jitter_prob=0.8,
        gray_prob=0.2,
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
