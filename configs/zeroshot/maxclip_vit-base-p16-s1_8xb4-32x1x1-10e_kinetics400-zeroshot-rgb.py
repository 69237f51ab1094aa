# MaxCLIP ViT-B/16, s = 1 (the base-to-novel setting; the paper has no
# zero-shot runs), trained on all of Kinetics-400 for zero-shot transfer:
# 32 frames, 8 GPUs x 4 videos x 8 accumulation steps = batch 256
# (ViFi-CLIP configs/zero_shot/train/k400/16_16_vifi_clip.yaml).
# Test the checkpoint with the *_zeroshot-split*.py configs here (this
# folder's primitive).
_base_ = [
    '../_base_/models/maxclip_vit-base-p16.py',
    '../_base_/datasets/kinetics400_zeroshot.py',
    '../_base_/schedules/adamw_10e_zeroshot.py',
    '../_base_/default_runtime.py',
]

model = dict(data_preprocessor=dict(blending=_base_.blending))
