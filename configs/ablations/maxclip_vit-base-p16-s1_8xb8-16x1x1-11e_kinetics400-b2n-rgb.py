# 16 instead of 32 frames, s = 1; Kinetics-400 base-to-novel. PAPER.md: base
# top-1 76.8 (32 frames: 77.6).
_base_ = [
    '../b2n/kinetics400/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_kinetics400-b2n-rgb.py'
]

model = dict(backbone=dict(num_frames=16))
# Index 1 of both pipelines is UniformSample.
train_pipeline = _base_.train_pipeline
train_pipeline[1].clip_len = 16
val_pipeline = _base_.val_pipeline
val_pipeline[1].clip_len = 16
test_pipeline = val_pipeline
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
