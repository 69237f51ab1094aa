# ViFi-CLIP ViT-B/16 (the baseline the paper extends): CLIP's image tower
# on every frame (no token pool, pool_layers=0), frame embeddings averaged
# into the video embedding, text tower on 'a photo of a {class}.'; both
# towers fine-tuned (ViFi-CLIP trainers/vificlip.py).
clip_arch = 'ViT-B-16'
pretrained = 'openai'
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='MaxCLIPViT',
        clip_arch=clip_arch,
        pretrained=pretrained,
        num_frames=32,
        pool_layers=0,
        pool_position='after',
        # True recomputes each block in backward: less memory, more
        # compute (--cfg-options model.backbone.grad_checkpointing=True).
        grad_checkpointing=False),
    cls_head=dict(
        type='VideoTextHead',
        clip_arch=clip_arch,
        pretrained=pretrained,
        class_names=None,  # set from the dataset by ClassNamesHook
        templates=('a photo of a {}.', ),
        # ViFi-CLIP embeds the prompts' tokens once, without gradient
        # (trainers/vificlip.py L119-126): the token table stays CLIP's.
        train_token_embedding=False,
        pooling='mean',
        # ViFi-CLIP utils/config.py L68 (soft targets with mixup / cutmix)
        label_smooth_eps=0.1,
        average_clips='prob'),
    data_preprocessor=dict(
        # MMAction2's ActionDataPreprocessor plus ViFi-CLIP's colour jitter
        # (p 0.8) and grayscale (p 0.2), batched on the device, training
        # only; ImageNet mean / std as ViFi-CLIP (datasets/build.py).
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
