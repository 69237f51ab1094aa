# ViFi-CLIP's fully supervised K-400 recipe
# (configs/fully_supervised/k400/16_16_vifi_clip.yaml, utils/config.py
# L52): lr 2.2e-5, 30 epochs, batch 512 = 8 GPUs x 4 videos x 16
# accumulation steps (on 4 GPUs keep 512 with ``--cfg-options
# optim_wrapper.accumulative_counts=32``); the rest in
# adamw_warmup_cosine.py.
_base_ = ['./adamw_warmup_cosine.py']

max_epochs = 30
# K-400 has no separate test set: validate every 5 epochs to watch
# training, and report the final checkpoint.
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
optim_wrapper = dict(optimizer=dict(lr=2.2e-05), accumulative_counts=16)
# The cosine ends with the train loop (its end is left to the runner),
# so train_cfg.max_epochs=N alone shortens or lengthens the run; the
# warmup keeps its share of the recipe's max_epochs.
param_scheduler = [dict(_base_.param_scheduler[0], recipe_length=max_epochs)]

# The recipe's batch (see adamw_warmup_cosine.py).
effective_batch_size = 512
