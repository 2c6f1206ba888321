#!/usr/bin/env bash
# `make bench`: every benchmark, printing figures (not pass/fail: this machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "make bench: one release build first (about 15 minutes from a clean tree on 2 cores, seconds when" \
     "nothing changed), then about 15 minutes of measurements (pools of up to 1M hosts are generated once" \
     "into .build-bench)." >&2
BENCH_BIN_DIR="$(scripts/bench-build.sh)"
export BENCH_BIN_DIR
scripts/bench-inventory.sh
scripts/bench-service.sh
scripts/bench-script.sh
scripts/bench-replicas.sh
