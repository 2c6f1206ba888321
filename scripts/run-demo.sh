#!/usr/bin/env bash
# `make run`: the service on 127.0.0.1:8080 with its embedded SQLite store (data/), the demo
# pool imported as `demo`, a cursor `demo` over it and a development token; then it prints
# what to try next and runs in the foreground until Ctrl-C (which stops it gracefully).
#
# Environment: BATCH_SOURCE_LISTEN (default 127.0.0.1:8080), BATCH_SOURCE_DATABASE
# (default sqlite://data/batch-source.sqlite). Running it again keeps the state.
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${BATCH_SOURCE_LISTEN:-127.0.0.1:8080}"
database="${BATCH_SOURCE_DATABASE:-sqlite://data/batch-source.sqlite}"
url="http://${listen}"
token_file="data/dev-token"

swift build --product batch-source
bin="$(swift build --show-bin-path)/batch-source"
shown="${bin#"$PWD"/}"
mkdir -p data

if curl -s -o /dev/null --max-time 1 "$url/healthz"; then
    echo "make run: something already answers on $url; stop it or set BATCH_SOURCE_LISTEN=127.0.0.1:PORT" >&2
    exit 1
fi

# The development token: made once on the database, kept in data/dev-token (mode 600).
if [ ! -s "$token_file" ]; then
    umask 077
    "$bin" token create --name dev --scope admin --database "$database" 2>/dev/null | tail -1 >"$token_file.new"
    mv "$token_file.new" "$token_file"
fi
token="$(cat "$token_file")"

"$bin" serve --listen "$listen" --database "$database" --default-cursor demo &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid' INT TERM
for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "$url/healthz" && break
    kill -0 $pid 2>/dev/null || { echo "make run: the service did not start (see above)" >&2; exit 1; }
    sleep 0.2
done

export BATCH_SOURCE_URL="$url" BATCH_SOURCE_TOKEN="$token"
"$bin" pool show demo >/dev/null 2>&1 || "$bin" pool import demo fixtures/pools/demo.yml
"$bin" cursor show demo >/dev/null 2>&1 || "$bin" cursor create demo --pool demo --batch-size 10% >/dev/null

cat <<MSG

batch-source is running on $url (state in ${database#sqlite://}); Ctrl-C stops it.
Dashboard: $url/ui/ (sign in with the development token below).
Pool 'demo' (fixtures/pools/demo.yml) and cursor 'demo' (batches of 10%) are ready.

Development token (admin scope; also in $token_file):
  export BATCH_SOURCE_URL=$url
  export BATCH_SOURCE_TOKEN=$token

Try:
  curl -s -H "Authorization: Bearer \$BATCH_SOURCE_TOKEN" "$url/api/nextBatch?cursor=demo"
  $shown cursor watch demo
  $shown cursor show demo
  $shown batch list demo
  curl -s $url/metrics | grep batch_source_

MSG
wait $pid
