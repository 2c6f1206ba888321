#!/usr/bin/env bash
# Schemathesis against a running `batch-source serve`: its own /api/v1/openapi.json, the phases
# examples, coverage, fuzzing and stateful, every check, one seed and a time budget for the whole
# run. Exits non-zero when schemathesis finds a failure (or the service cannot be set up).
#
#   BATCH_SOURCE_BIN          the binary (default .build/debug/batch-source; the SwiftPM
#                             resource bundle BatchSource_BatchSource.resources stays beside it)
#   SCHEMATHESIS_SEED         the seed (default 20240601; the run prints it)
#   SCHEMATHESIS_MAX_TIME     seconds for the whole schemathesis run (default 55: about a minute
#                             with the service's start and the setup)
#   SCHEMATHESIS_REPORT_DIR   where the reports and the service's log go
#                             (default .build/schemathesis-report)
#   SCHEMATHESIS_REPORTS      report formats (default junit,har,pytest; schemathesis run --report)
#   SCHEMATHESIS_CONFIG       the schemathesis.toml (default the one beside this script)
#   SCHEMATHESIS              the schemathesis command (default .venv-schemathesis/bin/schemathesis,
#                             installed by scripts/ensure-deps.sh)
#
# The service listens on a free port of 127.0.0.1 only, on a SQLite file in a temp dir, with an
# admin token made on that file; it is stopped on exit, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CONTRACT="$ROOT/Tests/contract"

BIN="${BATCH_SOURCE_BIN:-$ROOT/.build/debug/batch-source}"
SCHEMATHESIS="${SCHEMATHESIS:-$ROOT/.venv-schemathesis/bin/schemathesis}"
SEED="${SCHEMATHESIS_SEED:-20240601}"
MAX_TIME="${SCHEMATHESIS_MAX_TIME:-55}"
REPORT_DIR="${SCHEMATHESIS_REPORT_DIR:-$ROOT/.build/schemathesis-report}"
REPORTS="${SCHEMATHESIS_REPORTS:-junit,har,pytest}"
CONFIG="${SCHEMATHESIS_CONFIG:-$CONTRACT/schemathesis.toml}"

say() { echo "contract: $*" >&2; }
[ -x "$BIN" ] || { say "no batch-source binary at $BIN (set BATCH_SOURCE_BIN)"; exit 2; }
command -v "$SCHEMATHESIS" >/dev/null || { say "no schemathesis at $SCHEMATHESIS (run scripts/ensure-deps.sh)"; exit 2; }
[ -f "$CONFIG" ] || { say "no schemathesis config at $CONFIG"; exit 2; }
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
BIN="$(absolute "$BIN")"
case "$SCHEMATHESIS" in */*) SCHEMATHESIS="$(absolute "$SCHEMATHESIS")" ;; esac
CONFIG="$(absolute "$CONFIG")"
mkdir -p "$REPORT_DIR"
REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"
# Only the files of an earlier run go; the directory may hold other things.
find "$REPORT_DIR" -maxdepth 1 -type f \( -name 'junit-*.xml' -o -name 'har-*.json' -o -name 'ndjson-*.ndjson' \
    -o -name 'json-*.json' -o -name 'test_schemathesis_*.py' -o -name 'serve.log' \) -delete
[ -d "$(dirname "$BIN")/BatchSource_BatchSource.resources" ] ||
    say "warning: no BatchSource_BatchSource.resources beside $BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/batch-source-contract.XXXXXX")"
SERVER_PID=""
stop_service() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    local status=$?
    stop_service
    if [ -f "$WORK/serve.log" ]; then cp "$WORK/serve.log" "$REPORT_DIR/serve.log" || true; fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The service sees none of the caller's BATCH_SOURCE_* settings.
service_env=(env)
while IFS= read -r name; do service_env+=(-u "$name"); done < <(compgen -e | grep '^BATCH_SOURCE_' || true)

DATABASE="sqlite://$WORK/state.sqlite"
TOKEN="$("${service_env[@]}" "$BIN" token create --name schemathesis --scope admin --database "$DATABASE" 2>"$WORK/token.err" | tail -n 1)" || true
case "$TOKEN" in bs_*) ;; *) say "token create printed no token: $(tail -c 500 "$WORK/token.err")"; exit 1 ;; esac

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A port taken between free_port and the service's bind makes it exit: try another.
BASE=""
for attempt in 1 2 3; do
    PORT="$(free_port)"
    "${service_env[@]}" "$BIN" serve --listen "127.0.0.1:$PORT" --database "$DATABASE" \
        --default-cursor seed --log-level warning --shutdown-grace 5 </dev/null >>"$WORK/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/readyz" 2>/dev/null; then
            BASE="http://127.0.0.1:$PORT"
            break 2
        fi
        sleep 0.1
    done
    stop_service
    say "the service did not become ready on 127.0.0.1:$PORT (attempt $attempt)"
done
if [ -z "$BASE" ]; then tail -n 40 "$WORK/serve.log" >&2 || true; exit 1; fi
say "batch-source serve (pid $SERVER_PID) on $BASE, data in $WORK"

# What the path parameters of schemathesis.toml name: pools web (16 hosts, cursors on it) and
# spare (none, so DELETE can succeed); cursors rollout (batch 1 claimed, in flight), canary
# (batch 1 completed with a failure, so paused, with results to retry) and wide (untouched);
# seed is GET /api/nextBatch's default cursor. The token goes to curl in a file, not in argv.
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$WORK/auth-header"
chmod 600 "$WORK/auth-header"
api() {
    local method="$1" path="$2" content_type="$3" body="$4" status
    status="$(curl -sS --max-time 30 -o "$WORK/answer" -w '%{http_code}' -X "$method" \
        -H "@$WORK/auth-header" -H "Content-Type: $content_type" \
        --data-binary "$body" "$BASE$path")" || { say "setup: $method $path: no answer"; exit 1; }
    case "$status" in
        2??) ;;
        *) say "setup: $method $path answered $status: $(head -c 500 "$WORK/answer")"; exit 1 ;;
    esac
}
api PUT /api/v1/pools/web text/plain $'[web]\nweb[01:12].example.com\n\n[db]\ndb[1:4].example.com\n\n[web:vars]\nhttp_port=8080\n'
api PUT /api/v1/pools/spare application/yaml $'all:\n  hosts:\n    spare1.example.com:\n    spare2.example.com:\n'
api POST /api/v1/cursors application/json '{"name": "rollout", "pool": "web", "batch_size": 2, "max_in_flight": 4}'
api POST /api/v1/cursors application/json '{"name": "canary", "pool": "web", "batch_size": [1, "25%"], "pause_after": [1]}'
api POST /api/v1/cursors application/json '{"name": "wide", "pool": "web", "batch_size": "50%", "order": "shuffle", "seed": "s1"}'
api POST /api/v1/cursors application/json '{"name": "seed", "pool": "web", "batch_size": 1, "ack": "auto"}'
api POST /api/v1/cursors/rollout/claim application/json '{"consumer": "schemathesis", "claim_key": "setup-1"}'
api POST /api/v1/cursors/canary/claim application/json '{"consumer": "schemathesis", "claim_key": "setup-1"}'
api POST /api/v1/cursors/canary/batches/1/complete application/json '{"consumer": "schemathesis", "claim_key": "setup-1", "results": {"web01.example.com": "failed"}}'

say "schemathesis $("$SCHEMATHESIS" --version | awk '{print $NF}'), seed $SEED (SCHEMATHESIS_SEED), budget ${MAX_TIME}s (SCHEMATHESIS_MAX_TIME)"

# From the temp dir: hypothesis keeps a .hypothesis directory in the working directory.
status=0
(cd "$WORK" && BATCH_SOURCE_CONTRACT_TOKEN="$TOKEN" exec "$SCHEMATHESIS" --config-file "$CONFIG" run \
    "$BASE/api/v1/openapi.json" \
    --phases examples,coverage,fuzzing,stateful \
    --checks all \
    --seed "$SEED" \
    --max-time "$MAX_TIME" \
    --continue-on-failure \
    --report "$REPORTS" \
    --report-dir "$REPORT_DIR" \
    --no-color) \
    || status=$?

# A request that stops the service shows in schemathesis as a network error; say so plainly.
if ! curl -fsS -o /dev/null --max-time 5 "$BASE/readyz" 2>/dev/null; then
    say "the service stopped answering during the run; its log is $REPORT_DIR/serve.log"
    # A crashing Swift process writes its backtrace first (about 10 s).
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    if grep -q -E 'Swift runtime failure|Fatal error|crashed:' "$WORK/serve.log"; then
        grep -h -m 1 -E 'Swift runtime failure|Fatal error' "$WORK/serve.log" >&2 || true
        grep -h -A 8 'crashed:' "$WORK/serve.log" | head -n 9 >&2
    else
        tail -n 30 "$WORK/serve.log" >&2
    fi
    [ "$status" -ne 0 ] || status=1
fi

if [ "$status" -eq 0 ]; then
    say "no failures (seed $SEED); report in $REPORT_DIR"
else
    say "schemathesis failed (exit $status, seed $SEED); report in $REPORT_DIR (junit.xml, pytest reproductions, the service's serve.log)"
    say "again with this seed: SCHEMATHESIS_SEED=$SEED $0 (the cases a time budget reaches vary with the machine's speed)"
fi
exit "$status"
