#!/usr/bin/env bash
# README command 2: install if needed, then run the test suite (CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. tools/setup_env.sh
# No path given: setup.cfg's testpaths (tests/). Paths/options pass through.
# The quickstart test's time limit grows with the load; on a slow CPU
# raise it further with MAXCLIP_TEST_TIME_SCALE=3 (three times as long).
"$PYTHON" -m pytest -q "$@"
