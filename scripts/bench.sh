#!/usr/bin/env bash
# `make bench`: every benchmark, printing figures (not pass/fail: this machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bench-inventory.sh
scripts/bench-service.sh
scripts/bench-script.sh
scripts/bench-replicas.sh
