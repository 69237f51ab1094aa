#!/usr/bin/env bash
# README command 1: the main job end to end on SynthMotion, on CPU.
# Generates the data, trains a tiny MaxCLIP with tools/train.py, tests it
# base-to-novel with tools/test.py and prints Base / Novel / HM. The
# checkpoint and logs stay in $WORK_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. tools/setup_env.sh
DATA_ROOT=${DATA_ROOT:-data/synthmotion}
WORK_DIR=${WORK_DIR:-work_dirs/quickstart}
CONFIG=${CONFIG:-configs/synthmotion/maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion-b2n.py}
EXTRA_OPTIONS=${EXTRA_OPTIONS:-}
ROOTS="train_dataloader.dataset.data_root=$DATA_ROOT"
ROOTS="$ROOTS val_dataloader.dataset.data_root=$DATA_ROOT"
ROOTS="$ROOTS test_dataloader.dataset.data_root=$DATA_ROOT"

echo "== 1/4 SynthMotion -> $DATA_ROOT"
"$PYTHON" tools/data/make_synthmotion.py --root "$DATA_ROOT"
echo "== 2/4 train $CONFIG -> $WORK_DIR"
# shellcheck disable=SC2086
"$PYTHON" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" \
    --cfg-options $ROOTS $EXTRA_OPTIONS
CKPT=$(cat "$WORK_DIR/last_checkpoint")
echo "== 3/4 test $CKPT (base and novel in one pass)"
# shellcheck disable=SC2086
"$PYTHON" tools/test.py "$CONFIG" "$CKPT" --work-dir "$WORK_DIR" \
    --cfg-options $ROOTS $EXTRA_OPTIONS
echo "== 4/4 result (top-1, %)"
"$PYTHON" tools/report_results.py b2n "$WORK_DIR"
