# ViFi-CLIP's zero-shot training recipe on all of K-400
# (configs/zero_shot/train/k400/16_16_vifi_clip.yaml): lr 8e-6, 10 epochs,
# batch 256 = 8 GPUs x 4 videos x 8 accumulation steps (on 4 GPUs keep 256
# with ``--cfg-options optim_wrapper.accumulative_counts=16``); the rest
# in adamw_warmup_cosine.py.
_base_ = ['./adamw_warmup_cosine.py']

max_epochs = 10
# Validation on K-400 val watches training; zero-shot numbers come from
# the test configs of the target datasets.
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
optim_wrapper = dict(optimizer=dict(lr=8e-06), accumulative_counts=8)
# The cosine ends with the train loop (its end is left to the runner),
# so train_cfg.max_epochs=N alone shortens or lengthens the run; the
# warmup keeps its share of the recipe's max_epochs.
param_scheduler = [dict(_base_.param_scheduler[0], recipe_length=max_epochs)]

# The recipe's batch (see adamw_warmup_cosine.py).
effective_batch_size = 256
