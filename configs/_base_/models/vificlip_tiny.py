# A tiny ViFi-CLIP (random init) for SynthMotion, smoke runs, CPU runs on
# your own videos and tests: CLIP ViT of width 64, 3 layers, 32 px, patch 8
# (maxclip_mmaction.testing.tiny_clip_cfg), no token pool, mean-pooled
# frames.
clip_arch = dict(
    embed_dim=32,
    vision_cfg=dict(
        image_size=32, patch_size=8, width=64, layers=3, head_width=32),
    text_cfg=dict(
        context_length=16, vocab_size=49408, width=64, heads=2, layers=2))
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='MaxCLIPViT',
        clip_arch=clip_arch,
        pretrained=None,
        num_frames=8,
        pool_layers=0,
        pool_position='after'),
    cls_head=dict(
        type='VideoTextHead',
        clip_arch=clip_arch,
        pretrained=None,
        class_names=None,  # set from the dataset by ClassNamesHook
        templates=('a photo of a {}.', ),
        # ViFi-CLIP embeds the prompts' tokens once, without gradient
        # (trainers/vificlip.py L119-126): the token table stays CLIP's.
        train_token_embedding=False,
        pooling='mean',
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
