#!/usr/bin/env bash
# The one release build every benchmark uses: dist/inventory-script, dist/batch-source and the
# load generator batch-source-bench, all in .build-dist with the same flags, so nothing is
# compiled twice. Quick when nothing changed. Prints the directory of batch-source-bench;
# the products are in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST_PRODUCTS="inventory-script batch-source" DIST_EXTRA_PRODUCTS=batch-source-bench scripts/dist.sh >&2
echo "$(pwd)/${DIST_SCRATCH:-.build-dist}/release"
