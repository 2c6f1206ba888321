#!/usr/bin/env bash
# inventory-script benchmark (`make bench`): figures for issue 4's targets, from one run
# against a release `batch-source serve` (SQLite) over loopback.
#
#   scripts/bench-script.sh
#
# For batches of 1k and 10k hosts (each a whole generated pool in one batch; after the first
# claim every run gets the held batch back, so each run does the same work) it prints the
# median wall time of:
#   - dist/inventory-script --list                       (the shipped static binary)
#   - cat of the same JSON it printed                    (the floor: reading and printing it)
#   - curl doing the same POST .../claim                 (one loopback round trip incl. the service)
#   - a minimal Python script doing the same request with requests and printing the inventory
# Targets: inventory-script <= 1.5 x (cat + curl); Python / inventory-script >= 20.
# Also the binary's size. BENCH_RUNS (default 15) runs per figure; BENCH_STRICT=1 exits 1
# when a target is missed; BENCH_SERVICE_BIN names a batch-source binary instead of a release
# build. Client and server share this machine's cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench_dir="${BENCH_DIR:-$root/.build-bench}"
runs="${BENCH_RUNS:-15}"
mkdir -p "$bench_dir"
die() { echo "bench-script: $*" >&2; exit 1; }

command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
[ -x .venv/bin/python ] && .venv/bin/python -c "import requests" 2>/dev/null || die "run scripts/ensure-deps.sh first (.venv with requests)"

# BENCH_SERVICE_BIN: a batch-source binary to use instead of building one in release.
if [ -n "${BENCH_SERVICE_BIN:-}" ]; then
    bs="$BENCH_SERVICE_BIN"
else
    echo "building batch-source (release) ..." >&2
    swift build -c release --product batch-source >&2 || die "release build failed"
    bs="$(swift build -c release --show-bin-path)/batch-source"
fi
echo "building dist/inventory-script ..." >&2
DIST_PRODUCTS=inventory-script scripts/dist.sh >&2 || die "dist build failed"
script="$root/dist/inventory-script"

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

cat > "$scratch/requests_inventory.py" <<'PY'
"""The minimal Python inventory script: the same claim with requests, printed as an inventory."""
import json, os, sys
import requests
url, token, cursor = os.environ["BATCH_SOURCE_URL"], os.environ["BATCH_SOURCE_TOKEN"], os.environ["BATCH_SOURCE_CURSOR"]
answer = requests.post(f"{url}/api/v1/cursors/{cursor}/claim", json={"consumer": "bench", "claim_key": "bench-key"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)
answer.raise_for_status()
claim = answer.json()
batch = claim["batch"]
inventory = {name: {"hosts": g["hosts"], "children": g["children"], "vars": g["vars"]} for name, g in batch["groups"].items()}
inventory.setdefault("all", {}).setdefault("vars", {}).update(batch_id=batch["batch_id"], has_more=claim["has_more"])
inventory["_meta"] = {"hostvars": batch["hostvars"]}
json.dump(inventory, sys.stdout, indent=4, sort_keys=True)
PY

cat > "$scratch/median.py" <<'PY'
"""Runs a command BENCH_RUNS times (after 2 warm-ups), stdout to a file; prints the median ms."""
import os, statistics, subprocess, sys, time
runs = int(os.environ.get("BENCH_RUNS", "15"))
out = sys.argv[1]
command = sys.argv[2:]
times = []
for i in range(runs + 2):
    with open(out, "wb") as sink:
        start = time.perf_counter()
        done = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed: {done.stderr.decode()[:500]}")
    if i >= 2:
        times.append(elapsed * 1000)
print(f"{statistics.median(times):.2f}")
PY

export BENCH_RUNS="$runs" BATCH_SOURCE_URL="$url" BATCH_SOURCE_TOKEN="$token" BATCH_SOURCE_CONSUMER=bench BATCH_SOURCE_CLAIM_KEY=bench-key
missed=0
printf '%-8s %10s %12s %8s %8s %10s %10s %8s  %s\n' batch "json KB" "script ms" "cat ms" "curl ms" "python ms" "ratio" "py/ours" verdict
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

    ours=$(python3 "$scratch/median.py" "$scratch/ours.json" "$script" --list)
    cats=$(python3 "$scratch/median.py" "$scratch/cat.json" cat "$scratch/out-$count.json")
    trip=$(python3 "$scratch/median.py" "$scratch/curl.json" curl -sf -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
        -d '{"consumer": "bench", "claim_key": "bench-key"}' "$url/api/v1/cursors/c$count/claim")
    py=$(python3 "$scratch/median.py" "$scratch/py.json" .venv/bin/python "$scratch/requests_inventory.py")
    cmp -s "$scratch/ours.json" "$scratch/out-$count.json" || die "inventory-script printed different inventories for one held batch"
    size_kb=$(( $(stat -c %s "$scratch/out-$count.json") / 1024 ))
    read -r ratio speedup ok < <(python3 -c "o,c,t,p=$ours,$cats,$trip,$py; r=o/(c+t); s=p/o; print(f'{r:.2f} {s:.1f}', 'met' if r<=1.5 and s>=20 else 'MISSED')")
    [ "$ok" = met ] || missed=1
    printf '%-8s %10s %12s %8s %8s %10s %10s %8s  %s\n' "$count" "$size_kb" "$ours" "$cats" "$trip" "$py" "$ratio" "$speedup" "$ok"
done
echo "dist/inventory-script: $(stat -c %s "$script") bytes ($(( $(stat -c %s "$script") / 1048576 )) MB), needs: $(objdump -p "$script" | awk '/NEEDED/ {printf "%s ", $2}')"
if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$missed" = 1 ]; then exit 1; fi
