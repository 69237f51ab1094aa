#!/usr/bin/env bash
# README command: the paper's Figure 2 on SynthMotion, on CPU.
# Trains the three variants of the figure (mean pooling = ViFi-CLIP, max
# pooling = ViFi-CLIP-max, max pooling of tokens (s=1) and features =
# MaxCLIP), tests each base-to-novel, then draws their frame-similarity
# matrices and training curves:
#   $WORK_DIR/similarity/similarity.{png,npz}, $WORK_DIR/curves.png.
# EPOCHS overrides the configs' epoch count (the cosine schedule follows);
# EXTRA_OPTIONS adds --cfg-options (e.g. randomness.seed=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck disable=SC1091
. tools/setup_env.sh
DATA_ROOT=${DATA_ROOT:-data/synthmotion}
WORK_DIR=${WORK_DIR:-work_dirs/synthmotion_figure}
EPOCHS=${EPOCHS:-}
EXTRA_OPTIONS=${EXTRA_OPTIONS:-}
CFG=configs/synthmotion
NAMES=(mean max max-tokens)
CONFIGS=("$CFG/maxclip_tiny-s0-mean_1xb8-8x2x1-24e_synthmotion-b2n.py"
         "$CFG/maxclip_tiny-s0_1xb8-8x2x1-24e_synthmotion-b2n.py"
         "$CFG/maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py")
OPTIONS="train_dataloader.dataset.data_root=$DATA_ROOT"
OPTIONS="$OPTIONS val_dataloader.dataset.data_root=$DATA_ROOT"
OPTIONS="$OPTIONS test_dataloader.dataset.data_root=$DATA_ROOT $EXTRA_OPTIONS"
if [ -n "$EPOCHS" ]; then
    # the schedule follows the train loop's length
    OPTIONS="$OPTIONS train_cfg.max_epochs=$EPOCHS"
fi

echo "== SynthMotion -> $DATA_ROOT"
"$PYTHON" tools/data/make_synthmotion.py --root "$DATA_ROOT"
MODELS=()
for i in 0 1 2; do
    name=${NAMES[$i]} config=${CONFIGS[$i]}
    echo "== train and test $name: $config -> $WORK_DIR/$name"
    # shellcheck disable=SC2086
    "$PYTHON" tools/train.py "$config" --work-dir "$WORK_DIR/$name" \
        --cfg-options $OPTIONS
    ckpt=$(cat "$WORK_DIR/$name/last_checkpoint")
    # shellcheck disable=SC2086
    "$PYTHON" tools/test.py "$config" "$ckpt" \
        --work-dir "$WORK_DIR/$name/test" --cfg-options $OPTIONS
    MODELS+=(--model "$config" "$ckpt")
done
echo "== frame similarity and curves"
# shellcheck disable=SC2086
"$PYTHON" tools/analysis/similarity_matrix.py "${MODELS[@]}" \
    --labels 'mean (ViFi-CLIP)' 'max (ViFi-CLIP-max)' \
    'max + tokens s=1 (MaxCLIP)' --split test \
    --out-dir "$WORK_DIR/similarity" --cfg-options $OPTIONS
"$PYTHON" tools/analysis/plot_logs.py "${NAMES[@]/#/$WORK_DIR/}" \
    --labels "${NAMES[@]}" --out "$WORK_DIR/curves.png"
for name in "${NAMES[@]}"; do
    echo "== $name (top-1, %)"
    "$PYTHON" tools/report_results.py b2n "$WORK_DIR/$name/test"
done
