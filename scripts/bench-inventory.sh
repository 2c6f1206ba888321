#!/usr/bin/env bash
# Inventory benchmark (`make bench`): how fast `batch-source inventory FILE --export` reads and
# prints large pools, beside `ansible-inventory --list --export` on the same 100k-host pool.
#
#   scripts/bench-inventory.sh
#
# Uses the release build of scripts/bench-build.sh, generates (once, cached in .build-bench/) 100k- and
# 1M-host script-JSON pools and a 100k-host YAML pool with scripts/generate-pool.py, then prints
# wall time and peak RSS per run, one line each, with the targets:
#   - at 100k hosts, at least 20x faster than ansible-inventory;
#   - 1M hosts in at most 10 s and at most 2 GB of RSS.
#
# Environment:
#   BENCH_DIR=DIR        where generated pools are cached (default .build-bench)
#   BENCH_SKIP_ANSIBLE=1 do not run ansible-inventory (no ratio then)
#   BENCH_STRICT=1       exit 1 when a target is missed (default: report only)
# A run that fails (e.g. a format the reader rejects) prints FAILED and the script exits 1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench_dir="${BENCH_DIR:-$root/.build-bench}"
mkdir -p "$bench_dir"
generator="$root/scripts/generate-pool.py"
ansible_inventory="$root/.venv/bin/ansible-inventory"
missed=0
failed=0

die() { echo "bench-inventory: $*" >&2; exit 1; }

# GNU time gives peak RSS (%M); the shell keyword does not.
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
    echo "installing GNU time (apt-get install time) ..." >&2
    if command -v apt-get >/dev/null; then
        { apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null; }; } \
            || die "could not install GNU time; install the 'time' package"
    else
        die "GNU time (/usr/bin/time) is needed; install the 'time' package"
    fi
fi

[ -n "${BENCH_BIN_DIR:-}" ] || scripts/bench-build.sh >/dev/null || die "release build failed"
bin="${BENCH_SERVICE_BIN:-$root/dist/batch-source}"
[ -x "$bin" ] || die "no binary at $bin"

# pool COUNT FORMAT -> path of the cached pool, regenerated when the generator changed.
pool() {
    local count=$1 format=$2 file="$bench_dir/pool-$1.$2"
    if [ ! -s "$file" ] || [ "$generator" -nt "$file" ]; then
        echo "generating $file ..." >&2
        python3 "$generator" "$count" "$format" "$file" >&2 || die "generator failed for $count $format"
    fi
    echo "$file"
}

# measure CMD... -> "SECONDS KB" on stdout; the command's output goes to /dev/null.
measure() {
    local log
    log="$(mktemp)"
    if ! /usr/bin/time -o "$log" -f '%e %M' "$@" >/dev/null 2>"$log.err"; then
        echo "bench-inventory: command failed: $*" >&2
        tail -5 "$log.err" >&2
        rm -f "$log" "$log.err"
        return 1
    fi
    tail -1 "$log"
    rm -f "$log" "$log.err"
}

mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }

json100k="$(pool 100000 json)"
yaml100k="$(pool 100000 yaml)"
json1m="$(pool 1000000 json)"

echo "# batch-source inventory benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -m)"

read -r ours_s ours_kb < <(measure "$bin" inventory "$json100k" --export) || die "batch-source failed on $json100k"
printf '%-58s %8.2f s  %8s\n' "batch-source inventory --export, 100k hosts, script JSON:" "$ours_s" "$(mb "$ours_kb")"

if [ "${BENCH_SKIP_ANSIBLE:-0}" != 1 ]; then
    [ -x "$ansible_inventory" ] || die "ansible-inventory not found at $ansible_inventory; run 'make test' (it installs .venv) or set BENCH_SKIP_ANSIBLE=1"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    # Ansible reads script JSON only from an executable inventory script.
    printf '#!/bin/sh\nexec cat %q\n' "$json100k" >"$scratch/inventory.sh"
    chmod +x "$scratch/inventory.sh"
    : >"$scratch/ansible.cfg"
    echo "running ansible-inventory on 100k hosts (takes a while) ..." >&2
    read -r theirs_s theirs_kb < <(cd "$scratch" && unset $(env | awk -F= '/^ANSIBLE_/ { print $1 }') \
        && export ANSIBLE_INVENTORY_UNPARSED_FAILED=True ANSIBLE_HOME="$scratch/home" ANSIBLE_CONFIG="$scratch/ansible.cfg" \
        && measure "$ansible_inventory" -i "$scratch/inventory.sh" --list --export) || die "ansible-inventory failed on $json100k"
    printf '%-58s %8.2f s  %8s\n' "ansible-inventory --list --export, 100k hosts, script JSON:" "$theirs_s" "$(mb "$theirs_kb")"
    ratio="$(awk -v a="$theirs_s" -v b="$ours_s" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }')"
    ok="$(awk -v r="$ratio" 'BEGIN { print (r >= 20) ? 1 : 0 }')"
    [ "$ok" = 1 ] || missed=1
    printf '%-58s %8sx     target >= 20x: %s\n' "speed-up over ansible-inventory at 100k hosts:" "$ratio" "$(verdict "$ok")"
fi

if read -r y_s y_kb < <(measure "$bin" inventory "$yaml100k" --export); then
    printf '%-58s %8.2f s  %8s\n' "batch-source inventory --export, 100k hosts, YAML:" "$y_s" "$(mb "$y_kb")"
else
    failed=1
    printf '%-58s FAILED (see above)\n' "batch-source inventory --export, 100k hosts, YAML:"
fi

if read -r m_s m_kb < <(measure "$bin" inventory "$json1m" --export); then
    ok="$(awk -v s="$m_s" -v kb="$m_kb" 'BEGIN { print (s <= 10 && kb <= 2 * 1024 * 1024) ? 1 : 0 }')"
    [ "$ok" = 1 ] || missed=1
    printf '%-58s %8.2f s  %8s   target <= 10 s and <= 2048 MB: %s\n' "batch-source inventory --export, 1M hosts, script JSON:" "$m_s" "$(mb "$m_kb")" "$(verdict "$ok")"
else
    failed=1
    printf '%-58s FAILED (see above)\n' "batch-source inventory --export, 1M hosts, script JSON:"
fi

[ "$failed" = 0 ] || exit 1
if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
    exit 1
fi
