#!/usr/bin/env bash
# `make run`: starts the sample ledger upstreams and the gateway on routes.json
# with its store in $DATA, makes sure a demo org and client exist, and prints
# a copy-paste quickstart. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.build/release/portcullis
DATA=${DATA:-./data}
CONFIG=${CONFIG:-routes.json}
RUN=.run
mkdir -p "$RUN" "$DATA"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in 8080 9001 9002; do
  if port_busy "$port"; then
    echo "port $port is already in use: stop what listens there (an earlier 'make run'?) and try again" >&2
    exit 1
  fi
done

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$BIN" sample-upstream --listen 127.0.0.1:9001 2>"$RUN/upstream-v1.log" & pids+=($!)
"$BIN" sample-upstream --listen 127.0.0.1:9002 2>"$RUN/upstream-v2.log" & pids+=($!)

"$BIN" config check "$CONFIG" >/dev/null
"$BIN" serve --config "$CONFIG" --data "$DATA" & pids+=($!)

for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:8080/readyz >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs http://127.0.0.1:8080/readyz >/dev/null || { echo "the gateway did not become ready" >&2; exit 1; }

if [ -x scripts/demo-client.sh ]; then
  # shellcheck disable=SC1091
  source scripts/demo-client.sh
fi

cat <<TXT

Portcullis is running on http://127.0.0.1:8080 (store: $DATA, logs: $DATA/logs)
  portal:   http://127.0.0.1:8080/portal  (sign in as ${DEMO_LOGIN:-a user made with 'portcullis user create'})
  OpenAPI:  http://127.0.0.1:8080/openapi.json

Quickstart (paste into bash in this directory):
${QUICKSTART:-curl -s http://127.0.0.1:8080/v1/ledger/entries
curl -s http://127.0.0.1:8080/v2/ledger/entries}

Press Ctrl-C to stop.
TXT
wait "${pids[2]}"
