#!/usr/bin/env bash
# The GPU figures of the performance section in one prepared run, for a
# session that is lent a GPU for a few minutes: backbone overhead, train-step
# throughput and MFU (bf16 AMP, fused SDPA), and the largest per-GPU batch.
# Each script has its own time limit so one slow part cannot eat the others;
# JSONs and logs go to $OUT_DIR (default benchmarks/results/gpu).
#
#   bash benchmarks/gpu_suite.sh            # at most ~10 min on one H100/H200
#   OUT_DIR=/some/dir PYTHON=python3 bash benchmarks/gpu_suite.sh
#
# The machine needs the project's dependencies (see README, Install); the
# data pipeline benchmark is CPU work and is not repeated here.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
OUT_DIR=${OUT_DIR:-benchmarks/results/gpu}
mkdir -p "$OUT_DIR"
export PYTHONUNBUFFERED=1

"$PYTHON" - <<'EOF' || exit 1
import torch
assert torch.cuda.is_available(), 'gpu_suite.sh needs CUDA'
print(torch.__version__, torch.cuda.get_device_name())
EOF

run() {  # run NAME SECONDS ARGS...: one benchmark, its own limit and log
    local name=$1 limit=$2
    shift 2
    echo "== $name (limit ${limit}s)"
    timeout "$limit" "$PYTHON" "$@" --device cuda \
        --out "$OUT_DIR/$name.json" 2>&1 | tee "$OUT_DIR/$name.log"
    echo "== $name exit ${PIPESTATUS[0]}"
}

run backbone 90 benchmarks/bench_backbone.py --batch 8 --repeats 10 --warmup 2
run train 150 benchmarks/bench_train.py --sizes b16-8f b16-32f --batch 8
run memory 330 benchmarks/bench_memory.py --max-batch
ls -l "$OUT_DIR"
