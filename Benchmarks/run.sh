#!/usr/bin/env bash
# Macro benchmark: Portcullis against nginx and HAProxy as reverse proxies in
# front of the same upstream, on this machine, all on 127.0.0.1. Writes
# Benchmarks/RESULTS.md (regenerated on every run). See Benchmarks/README.md.
#
# Settings (environment):
#   BENCH_SECONDS=10          length of each measured wrk and h2load run
#   BENCH_WARMUP_SECONDS=2    wrk warm-up before each contender's runs
#   BENCH_ROUNDS=3            interleaved rounds (A B C, A B C, ...); medians are reported
#   BENCH_CONNECTIONS=50      wrk connections (one wrk thread)
#   BENCH_FIXED_RPS=2000      total rate of the fixed-rate h2load run
#   BENCH_FIXED_CLIENTS=20    h2load connections sharing that rate
#   BENCH_CONTENDERS="nginx_plain portcullis_proxy portcullis portcullis_uncached haproxy_jwt haproxy_jwt_rotating"
#                             files in Benchmarks/contenders/, in run order
#   BENCH_BASELINE=nginx_plain                              ratios are taken against it
#   BENCH_PATH=/v1/ledger/entries   the proxied path
#   BENCH_PORT_BASE=23100     first port tried; busy ports are skipped
#   PORTCULLIS_BIN            use this binary instead of building .build/release/portcullis
#   BENCH_RESULTS=Benchmarks/RESULTS.md
#   BENCH_NOTE                one free-form line copied into RESULTS.md
#   BENCH_MICRO=1             also run portcullis-microbench (auth ratelimit logging); 0 skips it
#   PORTCULLIS_MICROBENCH_BIN use this binary instead of building .build/release/portcullis-microbench
#   BENCH_UNCACHED_TOKENS=120000  distinct tokens portcullis_uncached cycles through (> the 100,000-entry cache)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCH_LIB="$BENCH_DIR/lib"
WORK="$BENCH_DIR/.work"

: "${BENCH_SECONDS:=10}" "${BENCH_WARMUP_SECONDS:=2}" "${BENCH_ROUNDS:=3}" "${BENCH_CONNECTIONS:=50}"
: "${BENCH_FIXED_RPS:=2000}" "${BENCH_FIXED_CLIENTS:=20}"
: "${BENCH_CONTENDERS:=nginx_plain portcullis_proxy portcullis portcullis_uncached haproxy_jwt haproxy_jwt_rotating}"
: "${BENCH_BASELINE:=nginx_plain}" "${BENCH_MICRO:=1}"
: "${BENCH_PATH:=/v1/ledger/entries}" "${BENCH_PORT_BASE:=23100}"
: "${BENCH_RESULTS:=$BENCH_DIR/RESULTS.md}" "${BENCH_NOTE:=}"
# Token claims shared by every contender that checks tokens.
: "${BENCH_ISSUER:=http://portcullis.bench}" "${BENCH_AUDIENCE:=http://portcullis.bench}"
: "${BENCH_CLIENT_ID:=bench-client}" "${BENCH_SCOPE:=ledger:read ledger:write}" "${BENCH_TOKEN_TTL:=3600}"
# Per-client limit (requests per 60 s) far above what one core can send.
: "${BENCH_RATE_LIMIT:=10000000}"
export BENCH_SECONDS BENCH_CONNECTIONS BENCH_FIXED_RPS BENCH_FIXED_CLIENTS

# A fixed ledger page of about 300 bytes; every proxied request returns it.
BENCH_BODY='{"entries":[{"id":"JE-2026-000142","date":"2026-03-31","account":"4000","name":"Revenue","debit":"0.00","credit":"1250.00","currency":"EUR"},{"id":"JE-2026-000143","date":"2026-03-31","account":"1200","name":"Receivables","debit":"1250.00","credit":"0.00","currency":"EUR"}],"next_cursor":null,"total":2}'

source "$BENCH_LIB/common.sh"
source "$BENCH_LIB/tokens.sh"
source "$BENCH_LIB/load.sh"
source "$BENCH_LIB/nginx.sh"
source "$BENCH_LIB/report.sh"
source "$BENCH_LIB/portcullis.sh"

for n in BENCH_SECONDS BENCH_WARMUP_SECONDS BENCH_ROUNDS BENCH_CONNECTIONS BENCH_FIXED_RPS BENCH_FIXED_CLIENTS; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer (got '${!n}')"
done
[ $((BENCH_FIXED_RPS % BENCH_FIXED_CLIENTS)) -eq 0 ] || die "BENCH_FIXED_RPS must be a multiple of BENCH_FIXED_CLIENTS"
for tool in nginx wrk h2load haproxy openssl curl ss perl python3; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] \
    || die "$tool is missing: run scripts/install-bench-deps.sh"
done
export PATH="$PATH:/usr/sbin"

mkdir -p "$WORK"
bench_cleanup                      # leftovers of an earlier run that was killed
trap bench_cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- the binary ------------------------------------------------------------------
PORTCULLIS_BIN_GIVEN=${PORTCULLIS_BIN:+yes}
if [ -z "${PORTCULLIS_BIN:-}" ]; then
  say "building Portcullis (release; no-op when up to date)"
  (cd "$ROOT" && swift build -c release --product portcullis >"$WORK/build.log" 2>&1) \
    || die "release build failed (see $WORK/build.log)"
  PORTCULLIS_BIN="$ROOT/.build/release/portcullis"
fi
[ -x "$PORTCULLIS_BIN" ] || die "no Portcullis binary at $PORTCULLIS_BIN"
if [ "$BENCH_MICRO" = 1 ] && [ -z "${PORTCULLIS_MICROBENCH_BIN:-}" ]; then
  say "building portcullis-microbench (release; no-op when up to date)"
  (cd "$ROOT" && swift build -c release --product portcullis-microbench >>"$WORK/build.log" 2>&1) \
    || die "release build of portcullis-microbench failed (see $WORK/build.log)"
  PORTCULLIS_MICROBENCH_BIN="$ROOT/.build/release/portcullis-microbench"
fi

# --- credentials, upstream, contenders -----------------------------------------------
bench_make_token
CLK_TCK=$(getconf CLK_TCK)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
mkdir -p "$WORK/logs"

read -r UPSTREAM_PID UPSTREAM_PORT < <(bench_start_upstream)
bench_wait_http "http://127.0.0.1:$UPSTREAM_PORT$BENCH_PATH" || die "the upstream does not answer (see $WORK/upstream)"
say "upstream nginx: pid $UPSTREAM_PID, port $UPSTREAM_PORT, body ${#BENCH_BODY} bytes"

read -r -a CONTENDERS <<<"$BENCH_CONTENDERS"
declare -A PID PORT LABEL HEADERS WRK_SCRIPT FIXED_RATE
for c in "${CONTENDERS[@]}"; do
  [ -f "$BENCH_DIR/contenders/$c.sh" ] || die "no contender file Benchmarks/contenders/$c.sh"
  source "$BENCH_DIR/contenders/$c.sh"
  declare -F "contender_${c}_start" >/dev/null || die "contenders/$c.sh defines no contender_${c}_start"
  LABEL[$c]=$c; declare -F "contender_${c}_label" >/dev/null && LABEL[$c]=$("contender_${c}_label")
  WRK_SCRIPT[$c]=""; declare -F "contender_${c}_wrk_script" >/dev/null && WRK_SCRIPT[$c]=$("contender_${c}_wrk_script")
  FIXED_RATE[$c]=yes; declare -F "contender_${c}_fixed_rate" >/dev/null && { "contender_${c}_fixed_rate" || FIXED_RATE[$c]=no; }
  read -r PID[$c] PORT[$c] < <("contender_${c}_start" "$UPSTREAM_PORT")
  [[ ${PID[$c]} =~ ^[0-9]+$ && ${PORT[$c]} =~ ^[0-9]+$ ]] || die "contender_${c}_start must print 'PID PORT'"
  # Headers after the start: a contender may fetch its token from the server it started.
  HEADERS[$c]=""; declare -F "contender_${c}_headers" >/dev/null && HEADERS[$c]=$("contender_${c}_headers")
done

# Header lines of contender $1 as an array in HDR.
headers_of() { HDR=(); [ -n "${HEADERS[$1]}" ] && mapfile -t HDR <<<"${HEADERS[$1]}"; return 0; }

for c in "${CONTENDERS[@]}"; do
  url="http://127.0.0.1:${PORT[$c]}$BENCH_PATH"
  headers_of "$c"
  if ! bench_wait_http "$url" "${HDR[@]}"; then
    bench_owned "${PID[$c]}" || die "$c (pid ${PID[$c]}) exited; its logs are under $WORK/$c"
    die "$c does not answer 200 on $url (status $(bench_status "$url" "${HDR[@]}"); logs under $WORK/$c)"
  fi
  bench_owned "${PID[$c]}" || die "$c (pid ${PID[$c]}) exited; another server may hold port ${PORT[$c]}"
  args=(); for h in "${HDR[@]}"; do args+=(-H "$h"); done
  body=$(curl -s --max-time 2 "${args[@]}" "$url")
  [ "$body" = "$BENCH_BODY" ] || die "$c answers with a different body than the upstream's: $body"
  declare -F "contender_${c}_check" >/dev/null && "contender_${c}_check" "$url"
  say "$c: pid ${PID[$c]}, port ${PORT[$c]}, answers"
done

# --- measurement ---------------------------------------------------------------------
RESULTS_TSV="$WORK/results.tsv"
printf 'contender\tround\trps\tp50_us\tp99_us\tcpu_us\tfixed_p50_us\tfixed_p99_us\tfixed_cpu_us\tload1\n' >"$RESULTS_TSV"

cpu_us_per_request() {  # TICKS_BEFORE TICKS_AFTER REQUESTS
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) * 1e6 / hz / n }'
}

for round in $(seq "$BENCH_ROUNDS"); do
  for c in "${CONTENDERS[@]}"; do
    url="http://127.0.0.1:${PORT[$c]}$BENCH_PATH"
    headers_of "$c"
    log="$WORK/logs/$c.log"
    if declare -F "contender_${c}_between_runs" >/dev/null; then
      "contender_${c}_between_runs"
      declare -F "contender_${c}_headers" >/dev/null && HEADERS[$c]=$("contender_${c}_headers")
      headers_of "$c"
    fi
    # A contender's own wrk script (e.g. a new token per request) reads $WORK/<id>/tokens.txt.
    export BENCH_WRK_SCRIPT=${WRK_SCRIPT[$c]} BENCH_TOKENS_FILE="$WORK/$c/tokens.txt"

    bench_wrk "$log" "$BENCH_WARMUP_SECONDS" "$url" "${HDR[@]}" >/dev/null

    before=$(bench_cpu_ticks "${PID[$c]}")
    w=$(bench_wrk "$log" "$BENCH_SECONDS" "$url" "${HDR[@]}")
    after=$(bench_cpu_ticks "${PID[$c]}")
    [ "$(bench_field status_errors <<<"$w")" = 0 ] || die "$c answered non-2xx during wrk: $w (see $log)"
    [ "$(bench_field socket_errors <<<"$w")" = 0 ] || say "warning: $c had socket errors: $w"
    cpu=$(cpu_us_per_request "$before" "$after" "$(bench_field requests <<<"$w")")

    if [ "${FIXED_RATE[$c]}" = yes ]; then
      before=$(bench_cpu_ticks "${PID[$c]}")
      f=$(bench_h2load "$log" "$url" "${HDR[@]}")
      after=$(bench_cpu_ticks "${PID[$c]}")
      [ "$(bench_field failed <<<"$f")" = 0 ] || die "$c failed requests at the fixed rate: $f (see $log)"
      awk -v r="$(bench_field rate <<<"$f")" -v t="$BENCH_FIXED_RPS" 'BEGIN { exit !(r + 0 < 0.9 * t) }' \
        && say "warning: $c sustained only $(bench_field rate <<<"$f") of $BENCH_FIXED_RPS req/s at the fixed rate"
      fixed_cpu=$(cpu_us_per_request "$before" "$after" "$(bench_field requests <<<"$f")")
    else
      f="p50_us=- p99_us=- requests=0"   # h2load sends one fixed header set: no per-request tokens
      fixed_cpu="-"
    fi

    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$round" "$(bench_field rps <<<"$w")" \
      "$(bench_field p50_us <<<"$w")" "$(bench_field p99_us <<<"$w")" "$cpu" \
      "$(bench_field p50_us <<<"$f")" "$(bench_field p99_us <<<"$f")" "$fixed_cpu" \
      "$(cut -d' ' -f1 /proc/loadavg)" >>"$RESULTS_TSV"
    say "round $round/$BENCH_ROUNDS $c: $(bench_field rps <<<"$w") rps, p99 $(bench_field p99_us <<<"$w") us," \
        "$cpu us CPU/req; fixed ${BENCH_FIXED_RPS}/s p99 $(bench_field p99_us <<<"$f") us"
  done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- microbenchmarks (after the rounds, with the servers stopped) ---------------------
MICRO_OUT="$WORK/microbench.txt"
rm -f "$MICRO_OUT"
if [ "$BENCH_MICRO" = 1 ]; then
  bench_cleanup
  say "microbenchmarks: portcullis-microbench auth ratelimit logging"
  "$PORTCULLIS_MICROBENCH_BIN" auth ratelimit logging >"$MICRO_OUT" 2>&1 || die "portcullis-microbench failed (see $MICRO_OUT)"
fi
bench_write_results >"$BENCH_RESULTS.tmp"
mv "$BENCH_RESULTS.tmp" "$BENCH_RESULTS"
say "wrote ${BENCH_RESULTS#"$ROOT"/}"
