# ViFi-CLIP's few-shot recipe (configs/few_shot/finetuning_few_shot/*/*.yaml):
# lr 2e-6, 50 epochs, batch 64 = 8 GPUs x 4 videos x 2 accumulation steps
# (on 4 GPUs keep 64 with ``--cfg-options
# optim_wrapper.accumulative_counts=4``); the rest in
# adamw_warmup_cosine.py.
_base_ = ['./adamw_warmup_cosine.py']

max_epochs = 50
# The few-shot test sets double as validation: evaluate only the final
# checkpoint (no best-checkpoint selection on them).
train_cfg = dict(max_epochs=max_epochs, val_begin=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=2e-06), accumulative_counts=2)
# The cosine ends with the train loop (its end is left to the runner),
# so train_cfg.max_epochs=N alone shortens or lengthens the run; the
# warmup keeps its share of the recipe's max_epochs.
param_scheduler = [dict(_base_.param_scheduler[0], recipe_length=max_epochs)]

# The recipe's batch (see adamw_warmup_cosine.py).
effective_batch_size = 64
