#!/usr/bin/env bash
# Replica benchmark (`make bench`): claim+complete round trips/s and latency with one
# `batch-source serve` on SQLite, one replica on PostgreSQL and three replicas on one
# PostgreSQL database, in one run, on the same pool and load. Both stores are durable (SQLite
# synchronous=FULL; PostgreSQL fsync=on, synchronous_commit=on).
#
#   scripts/bench-replicas.sh
#
# Prints per setup, on one cursor and on several at once: round trips/s, p50/p99, and where
# the CPU went (service processes, PostgreSQL, load generator, the whole machine), which is
# what bounds the figures on a small machine; and the ceiling of one cursor on PostgreSQL: the
# engine's claim and completion statements (scripts/pg-one-cursor-ceiling.sql) from pgbench,
# also eight of them to a transaction (what group commit would get); and the floor under any
# design with one row lock per cursor: two one-row UPDATEs, each committed. Targets (issue 5):
# PostgreSQL 1 replica >= 50% of SQLite; 3 replicas >= 1.5x one replica, or an explanation of
# the limit from these measurements.
#
# Environment: BENCH_DIR (cached pools, default .build-bench), BENCH_SECONDS (load duration,
# default 10), BENCH_WARMUP_SECONDS (the same load before each measurement, default 2),
# BENCH_CONNECTIONS (default 64), BENCH_ROLLOUTS (cursors of the second measurement, default
# 8), BATCH_SOURCE_PG_BIN (PostgreSQL programs, default the newest /usr/lib/postgresql/N/bin),
# BENCH_STRICT=1 (exit 1 when a target is missed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench_dir="${BENCH_DIR:-$root/.build-bench}"
seconds="${BENCH_SECONDS:-10}"
warmup="${BENCH_WARMUP_SECONDS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
rollouts="${BENCH_ROLLOUTS:-8}"
mkdir -p "$bench_dir"
missed=0
die() { echo "bench-replicas: $*" >&2; exit 1; }
verdict() { if [ "$1" = 1 ]; then echo "met"; else missed=1; echo "MISSED"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin="${BATCH_SOURCE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$pg_bin/initdb" ] || die "PostgreSQL server programs not found; run scripts/ensure-deps.sh (postgresql-15) or set BATCH_SOURCE_PG_BIN"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (Debian package 'time'; scripts/ensure-deps.sh installs it)"

bin_dir="${BENCH_BIN_DIR:-$(scripts/bench-build.sh)}" || die "release build failed"
bs="${BENCH_SERVICE_BIN:-$root/dist/batch-source}"
load="$bin_dir/batch-source-bench"

pool="$bench_dir/pool-100000.json"
if [ ! -s "$pool" ] || [ scripts/generate-pool.py -nt "$pool" ]; then
    echo "generating $pool ..." >&2
    python3 scripts/generate-pool.py 100000 json "$pool" >&2 || die "generator failed"
fi

scratch="$(mktemp -d)"
chmod 755 "$scratch"
pgdir="$scratch/pg"
mkdir -p "$pgdir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdir"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -f "$pgdir/data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$scratch"
}
trap cleanup EXIT

# A PostgreSQL cluster of its own with durable defaults (fsync, synchronous_commit on).
as_pg "$pg_bin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --no-instructions >/dev/null || die "initdb failed"
pg_port="$(free_port)"
cat >>"$pgdir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pgdir'
max_connections = 200
shared_buffers = 256MB
EOF
as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w start >/dev/null || die "PostgreSQL did not start: $(tail -5 "$pgdir/server.log")"
postmaster=$(head -1 "$pgdir/data/postmaster.pid")
psql() { "$pg_bin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }

hz=$(getconf CLK_TCK)
# CPU seconds (user+system) used so far by the given pids.
cpu_of() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; awk -v t="$t" -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }'; }
postgres_pids() { echo "$postmaster" $(pgrep -P "$postmaster" || true); }
# Busy and total jiffies of the whole machine.
machine() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8; print busy, busy + $5 + $6 }' /proc/stat; }

# start_setup LABEL DATABASE_URL REPLICAS: starts the replicas and imports the pool; sets
# token, urls and replica_pids.
start_setup() {
    local label=$1 db=$2 n=$3 port i
    urls=(); replica_pids=()
    token="$("$bs" token create --name "bench" --scope admin --database "$db" 2>/dev/null | tail -1)"
    [ -n "$token" ] || die "$label: token create failed"
    for i in $(seq 1 "$n"); do
        port="$(free_port)"
        "$bs" serve --listen "127.0.0.1:$port" --database "$db" --log-level error >"$scratch/serve-$label-$i.log" 2>&1 &
        replica_pids+=("$!")
        pids+=("$!")
        urls+=("http://127.0.0.1:$port")
    done
    for u in "${urls[@]}"; do
        for _ in $(seq 1 150); do curl -sf -o /dev/null "$u/readyz" && break; sleep 0.1; done
        curl -sf -o /dev/null "$u/readyz" || die "$label: a replica did not start: $(tail -5 "$scratch"/serve-"$label"-*.log)"
    done
    BATCH_SOURCE_URL="${urls[0]}" BATCH_SOURCE_TOKEN="$token" "$bs" pool import mid "$pool" --format json >/dev/null || die "$label: import failed"
}

stop_setup() {
    local p
    for p in "${replica_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}

# measure LABEL CURSORS -> prints "rate p50 p99 service_cpu pg_cpu load_cpu busy_pct": the
# connections spread over CURSORS cursors of the pool (rollouts running at once).
measure() {
    local label=$1 k=$2 i cursor_args=() url_args=() u
    for i in $(seq 1 "$k"); do
        BATCH_SOURCE_URL="${urls[0]}" BATCH_SOURCE_TOKEN="$token" "$bs" cursor create "load-$k-$i" --pool mid --batch-size 1 \
            --max-in-flight "$connections" >/dev/null || die "$label: cursor create failed"
        cursor_args+=(--cursor "load-$k-$i")
    done
    for u in "${urls[@]}"; do url_args+=(--url "$u"); done
    # A warm-up of the same load first, then planner statistics as a database in use has them
    # (autovacuum analyzes tables as they grow): without both, the figures would be those of
    # the first seconds of a new database, whose batch tables are empty: PostgreSQL plans for
    # empty tables until autovacuum's first pass (measured: about 350/s for the first 10 s on
    # one cursor, then 460-470/s for the next minute). The same warm-up for every setup.
    "$load" claim-load "${url_args[@]}" --token "$token" "${cursor_args[@]}" --connections "$connections" \
        --seconds "$warmup" >/dev/null 2>&1 || die "$label: warm-up load failed"
    if [ -n "$analyze_db" ]; then psql -d "$analyze_db" -c "ANALYZE" || die "$label: ANALYZE failed"; fi
    local s0 p0 m0 m1 out
    s0=$(cpu_of "${replica_pids[@]}")
    p0=$(cpu_of $(postgres_pids))
    m0=$(machine)
    out=$(/usr/bin/time -f "LOADCPU %U %S" "$load" claim-load "${url_args[@]}" --token "$token" "${cursor_args[@]}" \
        --connections "$connections" --seconds "$seconds" 2>&1) || die "$label: load failed: $out"
    m1=$(machine)
    local s1 p1
    s1=$(cpu_of "${replica_pids[@]}")
    p1=$(cpu_of $(postgres_pids))
    local rate p50 p99 lcpu busy
    rate=$(echo "$out" | sed -n 's/^RESULT rate=\([0-9.]*\).*/\1/p')
    p50=$(echo "$out" | sed -n 's/^RESULT .*p50=\([0-9.]*\).*/\1/p')
    p99=$(echo "$out" | sed -n 's/^RESULT .*p99=\([0-9.]*\).*/\1/p')
    lcpu=$(echo "$out" | awk '/^LOADCPU/ { printf "%.1f", $2 + $3 }')
    busy=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }')
    echo "$rate $p50 $p99 $(awk -v a="$s0" -v b="$s1" 'BEGIN{printf "%.1f", b-a}') $(awk -v a="$p0" -v b="$p1" 'BEGIN{printf "%.1f", b-a}') $lcpu $busy"
}

report() {
    local label=$1; shift
    read -r rate p50 p99 scpu pcpu lcpu busy <<<"$*"
    printf '%-40s %7.0f/s  p50 %6.2f ms  p99 %6.2f ms   CPU s: service %5.1f, postgres %5.1f, load %5.1f; machine %3s%% busy\n' \
        "$label" "$rate" "$p50" "$p99" "$scpu" "$pcpu" "$lcpu" "$busy"
}

echo "# batch-source replica benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $("$pg_bin/postgres" --version | awk '{ print $NF }') PostgreSQL"
echo "# claim+complete round trips, $connections connections, ${seconds} s each, 100k-host pool, one host per batch;"
echo "# on one cursor, and spread over $rollouts cursors (rollouts at once)"

# run_store LABEL DATABASE_URL REPLICAS [POSTGRES_DATABASE]: sets one_<label> and many_<label>
# to measure's figures.
run_store() {
    local label=$1
    analyze_db="${4:-}"
    start_setup "$1" "$2" "$3"
    local one many
    one=$(measure "$label" 1)
    many=$(measure "$label" "$rollouts")
    # A cursor for the one-cursor ceiling below, made by the service (plan included).
    BATCH_SOURCE_URL="${urls[0]}" BATCH_SOURCE_TOKEN="$token" "$bs" cursor create "ceiling" --pool mid --batch-size 1 \
        --max-in-flight "$connections" >/dev/null || die "$label: cursor create failed"
    stop_setup
    eval "one_$label=\"\$one\"; many_$label=\"\$many\""
}

run_store sqlite "sqlite://$scratch/state.sqlite" 1
psql -d postgres -c "CREATE DATABASE one" || die "CREATE DATABASE failed"
run_store pg1 "postgres://postgres@127.0.0.1:$pg_port/one?sslmode=disable" 1 one
psql -d postgres -c "CREATE DATABASE three" || die "CREATE DATABASE failed"
run_store pg3 "postgres://postgres@127.0.0.1:$pg_port/three?sslmode=disable" 3 three

# The same claim and completion statements on one cursor from pgbench (a C client with
# prepared statements, the service's 8 connections): what any client gets from one cursor's
# row lock on this machine.
ceiling=$("$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared -c 8 -j 2 -T "$seconds" -D cursor_name=ceiling \
    -f "$root/scripts/pg-one-cursor-ceiling.sql" one 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
[ -n "$ceiling" ] || die "pgbench of the one-cursor ceiling failed"

# Would group commit lift that ceiling? The same statements, 8 claims and completions to a
# transaction (each in a savepoint, as a group of requests would run), from one connection:
# with prepared statements (pgbench's best) and unprepared (as postgres-nio sends them).
python3 - "$root/scripts/pg-one-cursor-ceiling.sql" "$scratch/grouped.sql" <<'PY'
import sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if not l.startswith("--")]
text = "\n".join(lines)
claim, rest = text.split("COMMIT;", 1)
complete = rest.split("COMMIT;", 1)[0]
strip = lambda t: t.replace("BEGIN;", "", 1)
pairs = ["SAVEPOINT s;" + strip(claim) + "RELEASE SAVEPOINT s;\nSAVEPOINT s;" + strip(complete) + "RELEASE SAVEPOINT s;"] * 8
open(sys.argv[2], "w").write("BEGIN;\n" + "\n".join(pairs) + "\nCOMMIT;\n")
PY
grouped() {
    "$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M "$1" -c 1 -j 1 -T "$seconds" -D cursor_name=ceiling -D client_id=0 \
        -f "$scratch/grouped.sql" one 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | awk '{ printf "%.0f", $1 * 8 }'
}
grouped_prepared=$(grouped prepared)
grouped_unprepared=$(grouped extended)
[ -n "$grouped_prepared" ] && [ -n "$grouped_unprepared" ] || die "pgbench of the grouped ceiling failed"

# The floor under any design that commits each claim and each completion durably under its
# cursor's row lock, whatever its statements: two one-row UPDATEs of one row, each its own
# transaction (so two WAL flushes, each waited for while the row stays locked), from pgbench
# with nothing else running. A claim+complete cannot cost less than this here.
psql -d one -c "CREATE TABLE lock_floor (id int PRIMARY KEY, n bigint); INSERT INTO lock_floor VALUES (1, 0)" || die "lock floor table failed"
printf 'UPDATE lock_floor SET n = n + 1 WHERE id = 1;\nUPDATE lock_floor SET n = n + 1 WHERE id = 1;\n' >"$scratch/floor.sql"
lock_floor=$("$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared -c 8 -j 2 -T "$seconds" \
    -f "$scratch/floor.sql" one 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
[ -n "$lock_floor" ] || die "pgbench of the lock floor failed"

for shape in one many; do
    if [ "$shape" = one ]; then echo "## one cursor"; else echo "## $rollouts cursors at once"; fi
    eval "sqlite=\$${shape}_sqlite pg1=\$${shape}_pg1 pg3=\$${shape}_pg3"
    report "SQLite, 1 process:" "$sqlite"
    report "PostgreSQL, 1 replica:" "$pg1"
    report "PostgreSQL, 3 replicas:" "$pg3"
    r_sqlite=$(echo "$sqlite" | awk '{ print $1 }'); r1=$(echo "$pg1" | awk '{ print $1 }'); r3=$(echo "$pg3" | awk '{ print $1 }')
    share=$(awk -v a="$r1" -v b="$r_sqlite" 'BEGIN { printf "%.0f", 100 * a / b }')
    scale=$(awk -v a="$r3" -v b="$r1" 'BEGIN { printf "%.2f", a / b }')
    printf '%-40s %7s%%   target >= 50%%: %s\n' "PostgreSQL 1 replica / SQLite:" "$share" "$(verdict "$(awk -v s="$share" 'BEGIN { print (s >= 50) ? 1 : 0 }')")"
    printf '%-40s %7sx   target >= 1.5x: %s\n' "PostgreSQL 3 replicas / 1 replica:" "$scale" "$(verdict "$(awk -v s="$scale" 'BEGIN { print (s >= 1.5) ? 1 : 0 }')")"
    if [ "$shape" = one ]; then
        printf '%-40s %7.0f/s  = %s%% of SQLite (pgbench, C client, prepared statements, 8 connections)\n' \
            "PostgreSQL one-cursor ceiling:" "$ceiling" "$(awk -v a="$ceiling" -v b="$r_sqlite" 'BEGIN { printf "%.0f", 100 * a / b }')"
        printf '%-40s %7.0f/s  = %s%% of SQLite (8 claims+completions a transaction, 1 connection; unprepared: %s/s)\n' \
            "  ... with group commit:" "$grouped_prepared" "$(awk -v a="$grouped_prepared" -v b="$r_sqlite" 'BEGIN { printf "%.0f", 100 * a / b }')" \
            "$grouped_unprepared"
        printf '%-40s %7.0f/s  = %s%% of SQLite (two one-row UPDATEs, each committed, under one row lock; pgbench alone)\n' \
            "Floor of any one-lock design:" "$lock_floor" "$(awk -v a="$lock_floor" -v b="$r_sqlite" 'BEGIN { printf "%.0f", 100 * a / b }')"
    fi
done
echo "# why: every claim and completion of a cursor locks its row until COMMIT, so one cursor's claims"
echo "# run one at a time, whichever replica serves them: the ceiling line is the most any client gets"
echo "# from the engine's statements on one cursor here, against SQLite's in-process group commit."
echo "# Grouping claims into fewer transactions (the group-commit line) lifts it little: the"
echo "# statements, a round trip each, take the time, not the commits. The floor line is the most any"
echo "# statements could get under one row lock with a durable commit per claim and per completion,"
echo "# with nothing else on the machine. Several cursors run in parallel on PostgreSQL, until the"
echo "# $(nproc) CPUs (shared by PostgreSQL, the replicas and the load) are busy; more replicas add CPU"
echo "# demand on the same cores, not CPU."
if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then exit 1; fi
