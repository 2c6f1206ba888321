#!/usr/bin/env bash
# Service benchmark (`make bench`): figures for issue 3's targets, from one run of a release
# `batch-source serve` on its SQLite store (durable: synchronous=FULL) over loopback.
#
#   scripts/bench-service.sh
#
# Prints:
#   - 1M-host pool import: wall time and the server's peak RSS  (target <= 30 s, <= 2 GB)
#   - claim latency on a 1M-host pool beside a 1k-host pool     (target within 1.5x)
#   - claim+complete round trips/s and p50/p99 at 64 connections (target >= 2000/s, p99 <= 50 ms)
#   - a read endpoint's req/s beside a bare Hummingbird route    (target >= 50%)
# The last two are run three times each and the median run is the figure.
# Client and server share this machine's cores, so the figures are a floor, not a ceiling.
#
# Environment: BENCH_DIR (cached pools, default .build-bench), BENCH_SECONDS (load duration,
# default 10), BENCH_STRICT=1 (exit 1 when a target is missed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench_dir="${BENCH_DIR:-$root/.build-bench}"
seconds="${BENCH_SECONDS:-10}"
mkdir -p "$bench_dir"
missed=0
die() { echo "bench-service: $*" >&2; exit 1; }
verdict() { if [ "$1" = 1 ]; then echo "met"; else missed=1; echo "MISSED"; fi; }

if ! command -v wrk >/dev/null; then
    echo "installing wrk (apt-get install wrk) ..." >&2
    { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }; } \
        || die "wrk is needed for the read benchmark; install the 'wrk' package"
fi

bin_dir="${BENCH_BIN_DIR:-$(scripts/bench-build.sh)}" || die "release build failed"
bs="${BENCH_SERVICE_BIN:-$root/dist/batch-source}"
load="$bin_dir/batch-source-bench"

pool() {
    local count=$1 file="$bench_dir/pool-$1.json"
    if [ ! -s "$file" ] || [ scripts/generate-pool.py -nt "$file" ]; then
        echo "generating $file ..." >&2
        python3 scripts/generate-pool.py "$count" json "$file" >&2 || die "generator failed"
    fi
    echo "$file"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

scratch="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT

db="sqlite://$scratch/state.sqlite"
token="$("$bs" token create --name bench --scope admin --database "$db" 2>/dev/null | tail -1)"
port="$(free_port)"
url="http://127.0.0.1:$port"
"$bs" serve --listen "127.0.0.1:$port" --database "$db" --log-level error >"$scratch/serve.log" 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 1 100); do curl -sf -o /dev/null "$url/healthz" && break; sleep 0.1; done
curl -sf -o /dev/null "$url/healthz" || die "the service did not start: $(tail -5 "$scratch/serve.log")"
export BATCH_SOURCE_URL="$url" BATCH_SOURCE_TOKEN="$token"

echo "# batch-source service benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, SQLite synchronous=FULL"

# 1. Import a 1M-host pool into a fresh server: wall time, and the server's peak RSS (VmHWM).
big="$(pool 1000000)"
t0=$(date +%s.%N)
"$bs" pool import big "$big" --format json >/dev/null || die "1M import failed"
t1=$(date +%s.%N)
hwm_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
import_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
ok=$(awk -v s="$import_s" -v kb="$hwm_kb" 'BEGIN { print (s <= 30 && kb <= 2097152) ? 1 : 0 }')
printf '%-52s %8s s  %6.0f MB peak RSS   target <= 30 s, <= 2048 MB: %s\n' "pool import, 1M hosts (script JSON):" "$import_s" "$(awk -v k="$hwm_kb" 'BEGIN{print k/1024}')" "$(verdict "$ok")"

# 2. Claim latency, 1M-host pool beside 1k-host pool, same batch size (5), one consumer in turn.
python3 scripts/generate-pool.py 1000 json "$scratch/pool-1000.json" >/dev/null 2>&1 || die "generator failed"
"$bs" pool import small "$scratch/pool-1000.json" --format json >/dev/null
"$bs" cursor create lat-big --pool big --batch-size 5 >/dev/null
"$bs" cursor create lat-small --pool small --batch-size 5 >/dev/null
small=$("$load" claim-latency --url "$url" --token "$token" --cursor lat-small --claims 200 | sed -n 's/^RESULT //p')
large=$("$load" claim-latency --url "$url" --token "$token" --cursor lat-big --claims 200 | sed -n 's/^RESULT //p')
s50=$(echo "$small" | sed -n 's/.*p50=\([0-9.]*\).*/\1/p'); l50=$(echo "$large" | sed -n 's/.*p50=\([0-9.]*\).*/\1/p')
ratio=$(awk -v a="$l50" -v b="$s50" 'BEGIN { printf "%.2f", a / b }')
ok=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5) ? 1 : 0 }')
printf '%-52s %s\n' "claim latency, 1k-host pool (ms):" "$small"
printf '%-52s %s\n' "claim latency, 1M-host pool (ms):" "$large"
printf '%-52s %8sx   target <= 1.5x: %s\n' "1M-pool claim p50 / 1k-pool claim p50:" "$ratio" "$(verdict "$ok")"

# 3. Claim+complete at 64 connections on a 100k-host pool, one host per batch. Three runs on
#    fresh cursors; the median run (by rate) is the figure: this machine is shared and noisy.
mid="$(pool 100000)"
"$bs" pool import mid "$mid" --format json >/dev/null
runs=()
for run in 1 2 3; do
    "$bs" cursor create "load$run" --pool mid --batch-size 1 --max-in-flight 64 >/dev/null
    out=$("$load" claim-load --url "$url" --token "$token" --cursor "load$run" --connections 64 --seconds "$seconds")
    printf '%-52s %s\n' "claim+complete, 64 connections, run $run:" "$(echo "$out" | head -1)"
    runs+=("$(echo "$out" | sed -n 's/^RESULT rate=\([0-9.]*\) .*p99=\([0-9.]*\).*/\1 \2/p')")
done
read -r rate p99 < <(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
ok=$(awk -v r="$rate" -v p="$p99" 'BEGIN { print (r >= 2000 && p <= 50) ? 1 : 0 }')
printf '%-52s %8s/s p99 %s ms   target >= 2000/s, p99 <= 50 ms: %s\n' "claim+complete round trips (median run):" "$rate" "$p99" "$(verdict "$ok")"

# 4. A read endpoint (GET /api/v1/cursors/NAME, auth included) beside a bare Hummingbird route
#    with a constant body, both with wrk at 64 connections, alternated three times; the median
#    of the three ratios is the figure.
bare_port="$(free_port)"
"$load" bare-route --port "$bare_port" >/dev/null 2>&1 &
pids+=("$!")
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$bare_port/bare" && break; sleep 0.1; done
rps() { wrk -t2 -c64 -d"${seconds}s" "$@" 2>/dev/null | awk '/Requests\/sec/ { print $2 }'; }
shares=()
for run in 1 2 3; do
    read_rps=$(rps -H "Authorization: Bearer $token" "$url/api/v1/cursors/lat-small")
    bare_rps=$(rps "http://127.0.0.1:$bare_port/bare")
    share=$(awk -v a="$read_rps" -v b="$bare_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
    printf '%-52s %8.0f req/s beside bare %8.0f req/s = %s%%\n' "read: GET /api/v1/cursors/NAME, run $run:" "$read_rps" "$bare_rps" "$share"
    shares+=("$share")
done
share=$(printf '%s\n' "${shares[@]}" | sort -n | sed -n 2p)
ok=$(awk -v s="$share" 'BEGIN { print (s >= 50) ? 1 : 0 }')
printf '%-52s %8s%%     target >= 50%%: %s\n' "read endpoint / bare route (median run):" "$share" "$(verdict "$ok")"

if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then exit 1; fi
