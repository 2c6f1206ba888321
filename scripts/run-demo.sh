#!/usr/bin/env bash
# `make run`: the main job. Until the service lands, it prints the demo pool as Ansible sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product batch-source
.build/debug/batch-source inventory fixtures/pools/demo.yml
