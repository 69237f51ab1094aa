# MaxCLIP ViT-B/16: CLIP image tower with token max-pool in the last s
# blocks (after attention), max-pooled frame embeddings, text-prompt head.
clip_arch = 'ViT-B-16'
pretrained = 'openai'
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='MaxCLIPViT',
        clip_arch=clip_arch,
        pretrained=pretrained,
        num_frames=32,
        pool_layers=1,
        pool_position='after'),
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
