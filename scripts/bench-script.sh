#!/usr/bin/env bash
# inventory-script benchmark (`make bench`): what a user waits for, against a release
# `batch-source serve` (SQLite) over loopback.
#
#   scripts/bench-script.sh
#
# For batches of 1k and 10k hosts (each a whole generated pool in one batch; after the first
# claim every run gets the held batch back, so each run does the same work) it prints the
# median wall time of:
#   - ansible-inventory -i dist/inventory-script --list  (what AWX runs: the figure users feel)
#   - ansible-inventory -i a script that only cats the same JSON  (the floor of any script)
#   - dist/inventory-script --list alone, and cat of its output
# Target: the first within 5% of the second. Also the binary's size and its start
# (`--version`, no request). BENCH_RUNS (default 11) runs per figure (BENCH_ANSIBLE_RUNS,
# default 5, for the ansible-inventory figures); BENCH_STRICT=1 exits 1 when a target is
# missed; BENCH_SCRIPT_BIN and BENCH_SERVICE_BIN name other binaries (to compare builds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench_dir="${BENCH_DIR:-$root/.build-bench}"
runs="${BENCH_RUNS:-11}"
ansible_runs="${BENCH_ANSIBLE_RUNS:-5}"
mkdir -p "$bench_dir"
die() { echo "bench-script: $*" >&2; exit 1; }

ansible_inventory="$root/.venv/bin/ansible-inventory"
[ -x "$ansible_inventory" ] || die "run scripts/ensure-deps.sh first (.venv with ansible-core)"
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
[ -n "${BENCH_BIN_DIR:-}" ] || scripts/bench-build.sh >/dev/null || die "release build failed"
bs="${BENCH_SERVICE_BIN:-$root/dist/batch-source}"
script="${BENCH_SCRIPT_BIN:-$root/dist/inventory-script}"

scratch="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT

db="sqlite://$scratch/state.sqlite"
token="$("$bs" token create --name bench-script --scope admin --database "$db" 2>/dev/null | tail -1)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"
"$bs" serve --listen "127.0.0.1:$port" --database "$db" --log-level error >"$scratch/serve.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url/readyz" >/dev/null || die "the service did not start: $(tail -5 "$scratch/serve.log")"

cat > "$scratch/median.py" <<'PY'
"""Runs a command RUNS times (after one warm-up), stdout to a file; prints the median ms."""
import os, statistics, subprocess, sys, time
runs = int(sys.argv[1])
out = sys.argv[2]
command = sys.argv[3:]
times = []
for i in range(runs + 1):
    with open(out, "wb") as sink:
        start = time.perf_counter()
        done = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed: {done.stderr.decode()[:500]}")
    if i >= 1:
        times.append(elapsed * 1000)
print(f"{statistics.median(times):.1f}")
PY

# ansible-inventory reads the scripts as AWX does: script plugin only, failures fatal.
export ANSIBLE_INVENTORY_ENABLED=script ANSIBLE_INVENTORY_UNPARSED_FAILED=True ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=True
export BATCH_SOURCE_URL="$url" BATCH_SOURCE_TOKEN="$token" BATCH_SOURCE_CONSUMER=bench BATCH_SOURCE_CLAIM_KEY=bench-key
missed=0
printf '%-7s %8s %14s %12s %7s %11s %8s  %s\n' batch "json KB" "ansible+ours" "ansible+cat" "ratio" "script ms" "cat ms" verdict
for count in 1000 10000; do
    pool="$bench_dir/pool-$count.json"
    if [ ! -s "$pool" ] || [ scripts/generate-pool.py -nt "$pool" ]; then
        python3 scripts/generate-pool.py "$count" json "$pool" >&2 || die "generator failed"
    fi
    curl -sf -X PUT -H "Authorization: Bearer $token" -H "Content-Type: application/json" --data-binary "@$pool" "$url/api/v1/pools/p$count" >/dev/null \
        || die "importing the $count-host pool failed"
    curl -sf -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
        -d "{\"name\": \"c$count\", \"pool\": \"p$count\", \"batch_size\": $count}" "$url/api/v1/cursors" >/dev/null || die "creating the cursor failed"
    export BATCH_SOURCE_CURSOR="c$count"
    "$script" --list >"$scratch/out-$count.json" || die "inventory-script failed"
    printf '#!/bin/sh\nexec cat %s\n' "$scratch/out-$count.json" > "$scratch/cat-$count"
    chmod +x "$scratch/cat-$count"

    with_ours=$(python3 "$scratch/median.py" "$ansible_runs" "$scratch/a-ours.json" "$ansible_inventory" -i "$script" --list)
    with_cat=$(python3 "$scratch/median.py" "$ansible_runs" "$scratch/a-cat.json" "$ansible_inventory" -i "$scratch/cat-$count" --list)
    cmp -s "$scratch/a-ours.json" "$scratch/a-cat.json" || die "ansible-inventory read the script and its own output differently"
    ours=$(python3 "$scratch/median.py" "$runs" "$scratch/ours.json" "$script" --list)
    cats=$(python3 "$scratch/median.py" "$runs" "$scratch/cat.json" cat "$scratch/out-$count.json")
    cmp -s "$scratch/ours.json" "$scratch/out-$count.json" || die "inventory-script printed different inventories for one held batch"
    size_kb=$(( $(stat -c %s "$scratch/out-$count.json") / 1024 ))
    read -r ratio ok < <(python3 -c "o,c=$with_ours,$with_cat; r=o/c; print(f'{r:.3f}', 'met' if r<=1.05 else 'MISSED')")
    [ "$ok" = met ] || missed=1
    printf '%-7s %8s %14s %12s %7s %11s %8s  %s\n' "$count" "$size_kb" "$with_ours" "$with_cat" "$ratio" "$ours" "$cats" "$ok"
done
start=$(python3 "$scratch/median.py" "$runs" "$scratch/version.txt" "$script" --version)
echo "inventory-script: $(stat -c %s "$script") bytes, start (--version) $start ms, needs: $(objdump -p "$script" | awk '/NEEDED/ {printf "%s ", $2}')"
if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$missed" = 1 ]; then exit 1; fi
