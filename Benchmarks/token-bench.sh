#!/usr/bin/env bash
# Token service throughput on this machine:
#   1. POST /oauth/token for a returning client (secret remembered as an HMAC: no bcrypt),
#   2. POST /oauth/token for cold clients (each one's first request pays bcrypt),
#   3. POST /oauth/introspect of one token by a returning client.
# Every issued token is signed and audited (one SQLite transaction each).
#
# Usage: Benchmarks/token-bench.sh        (builds release unless PORTCULLIS_BIN is set)
# Knobs (environment): DURATION (s, default 10), CONNECTIONS (default 32), BCRYPT_COST (default 12),
#   SIGNING_ALG (RS256|ES256, default RS256), COLD_CLIENTS (default 40), PORT (default 18480).
# Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
BCRYPT_COST=${BCRYPT_COST:-12}
SIGNING_ALG=${SIGNING_ALG:-RS256}
COLD_CLIENTS=${COLD_CLIENTS:-40}
PORT=${PORT:-18480}

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "token-bench: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
if [[ -z "${PORTCULLIS_BIN:-}" ]]; then
    swift build -c release --product portcullis >&2
    PORTCULLIS_BIN=.build/release/portcullis
fi

WORK=$(mktemp -d /tmp/portcullis-token-bench.XXXXXX)
GATEWAY_PID=""
cleanup() {
    [[ -n "$GATEWAY_PID" ]] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
DATA="$WORK/data"
BASE="http://127.0.0.1:$PORT"
cli() { "$PORTCULLIS_BIN" "$@" --data "$DATA"; }
field() { sed -n "s/.*\"$1\": \"\\([^\"]*\\)\".*/\\1/p"; }

cat > "$WORK/routes.json" <<EOF
{ "listen": "127.0.0.1:$PORT", "issuer": "$BASE", "workers": 2, "bcrypt_cost": $BCRYPT_COST,
  "signing_alg": "$SIGNING_ALG",
  "apis": [{ "name": "ledger", "versions": [{ "version": "v2", "upstream": "http://127.0.0.1:9" }],
             "operations": [{ "method": "GET", "path": "/ledger/entries", "scopes": ["ledger:read"] }] }] }
EOF
"$PORTCULLIS_BIN" serve --config "$WORK/routes.json" --data "$DATA" 2>"$WORK/gateway.err" &
GATEWAY_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/gateway.err" 2>/dev/null && break; sleep 0.1; done

cli org create --id bench --name Bench --scopes ledger:read,clients:write >/dev/null
CREATED=$(cli client create --org bench --name returning --scopes ledger:read --bcrypt-cost "$BCRYPT_COST")
ID=$(echo "$CREATED" | field client_id)
SECRET=$(echo "$CREATED" | field client_secret)
BASIC="Basic $(printf '%s:%s' "$ID" "$SECRET" | base64 -w0)"
TOKEN=$(curl -s -H "Authorization: $BASIC" -d grant_type=client_credentials "$BASE/oauth/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

post_script() {  # $1 = body
    cat <<EOF
wrk.method = "POST"
wrk.body = "$1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "$BASIC"
EOF
}
rate() { awk '/Requests\/sec/ { print $2 }'; }
errors() { awk '/Non-2xx|Socket errors/ { print }'; }

echo "# token service, $SIGNING_ALG, bcrypt cost $BCRYPT_COST, $CONNECTIONS connections, ${DURATION}s each, $(nproc) cores"

post_script "grant_type=client_credentials" > "$WORK/token.lua"
OUT=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/token.lua" "$BASE/oauth/token")
echo "token.returning_client    $(echo "$OUT" | rate) tokens/s   p50 $(echo "$OUT" | awk '/ 50%/ {print $2}')  p99 $(echo "$OUT" | awk '/ 99%/ {print $2}') $(echo "$OUT" | errors)"

post_script "token=$TOKEN" > "$WORK/introspect.lua"
OUT=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/introspect.lua" "$BASE/oauth/introspect")
echo "introspect.returning      $(echo "$OUT" | rate) req/s      p50 $(echo "$OUT" | awk '/ 50%/ {print $2}')  p99 $(echo "$OUT" | awk '/ 99%/ {print $2}') $(echo "$OUT" | errors)"

# Cold clients: each client's first token request pays one bcrypt on the worker pool.
for i in $(seq "$COLD_CLIENTS"); do
    cli client create --org bench --name "cold $i" --scopes ledger:read --bcrypt-cost "$BCRYPT_COST"
done | while read -r line; do
    printf '%s:%s\n' "$(echo "$line" | field client_id)" "$(echo "$line" | field client_secret)"
done > "$WORK/cold.txt"
START=$(date +%s.%N)
xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' -u {} -d grant_type=client_credentials "$BASE/oauth/token" \
    < "$WORK/cold.txt" > "$WORK/cold.codes"
END=$(date +%s.%N)
OK=$(grep -c '^200$' "$WORK/cold.codes" || true)
echo "token.cold_client         $(awk -v n="$OK" -v s="$START" -v e="$END" 'BEGIN { printf "%.1f", n / (e - s) }') tokens/s   ($OK of $COLD_CLIENTS answered 200; 8 in parallel)"

"$PORTCULLIS_BIN" audit verify --data "$DATA" >/dev/null && echo "audit chain verifies ($(cli audit export | wc -l) events)"
