#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer harnesses in Fuzz/ (with AddressSanitizer) and runs each for a
# bounded time, then prints per harness the seconds, executions and what it found. Exits non-zero
# when any harness crashed, hung or ran out of memory; the input that did it is kept under
# .build-fuzz/artifacts/<harness>/ (replay it with `.build-fuzz/debug/<harness> FILE`).
#
#   FUZZ_SECONDS   time per harness (default 60)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang (default 10)
#   FUZZ_RSS_MB    memory limit (default 2048)
#   FUZZ_HARNESSES which to run, space-separated (default all)
#   FUZZ_ARGS      more libFuzzer flags
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH="${FUZZ_SECONDS:-60}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
ALL=(fuzz-ini fuzz-yaml fuzz-script-json fuzz-host-pattern fuzz-batch-size fuzz-settings)
read -r -a HARNESSES <<<"${FUZZ_HARNESSES:-${ALL[*]}}"
read -r -a EXTRA <<<"${FUZZ_ARGS:-}"
SCRATCH=.build-fuzz

declare -A DICT=([fuzz-ini]=ini [fuzz-yaml]=yaml [fuzz-script-json]=json [fuzz-host-pattern]=host-pattern
    [fuzz-settings]=settings)
# The fixtures are seeds too: the readers' real inputs, valid and invalid.
declare -A FIXTURES=([fuzz-ini]=fixtures/inventories [fuzz-yaml]=fixtures/inventories
    [fuzz-script-json]=fixtures/inventories [fuzz-settings]=integrations/awx)

# The harnesses exist in the package only with BATCH_SOURCE_FUZZ set (see Package.swift). A debug
# build with -O compiles file by file, so a fix rebuilds in minutes, and still runs optimised;
# gold fails on libFuzzer's objects, so the toolchain's lld links them.
mkdir -p "$SCRATCH"
for harness in "${HARNESSES[@]}"; do
    echo "fuzz: building $harness"
    BATCH_SOURCE_FUZZ=1 swift build --scratch-path "$SCRATCH" -c debug --product "$harness" -Xswiftc -O \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
        >"$SCRATCH/build.log" 2>&1 || { cat "$SCRATCH/build.log" >&2; exit 1; }
done

failed=0
summary=()
for harness in "${HARNESSES[@]}"; do
    corpus="$SCRATCH/corpus/$harness" artifacts="$SCRATCH/artifacts/$harness/" log="$SCRATCH/logs/$harness.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    flags=(-max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" -print_final_stats=1
        -artifact_prefix="$artifacts")
    [ -n "${DICT[$harness]:-}" ] && flags+=(-dict="Fuzz/dictionaries/${DICT[$harness]}.dict")
    seeds=(Fuzz/seeds/"$harness")
    [ -n "${FIXTURES[$harness]:-}" ] && seeds+=("${FIXTURES[$harness]}")
    echo "fuzz: running $harness for ${SECONDS_EACH}s (log: $log)"
    start=$(date +%s)
    touch "$log.start"
    status=0
    "$SCRATCH/debug/$harness" "${flags[@]}" "${EXTRA[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - start ))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    found=$(find "$artifacts" -type f -newer "$log.start" 2>/dev/null | head -5 | tr '\n' ' ')
    if [ "$status" -ne 0 ]; then
        failed=1
        grep -m1 -E "^==[0-9]+==ERROR|Fatal error|ALARM|out-of-memory|deadly signal" "$log" >&2 || tail -20 "$log" >&2
        summary+=("$(printf '%-18s %5ss %12s runs  FOUND: %s' "$harness" "$elapsed" "${runs:-?}" "${found:-see $log}")")
    else
        summary+=("$(printf '%-18s %5ss %12s runs  nothing found' "$harness" "$elapsed" "${runs:-?}")")
    fi
done

echo
echo "fuzz: harness            time   executions  result"
printf 'fuzz: %s\n' "${summary[@]}"
exit "$failed"
