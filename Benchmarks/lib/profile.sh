#!/usr/bin/env bash
# Where Portcullis spends its CPU on a proxied request: runs the gateway (one event
# loop, access log on) in front of the bench's nginx upstream, loads it with wrk, samples
# it with `perf record --call-graph dwarf`, and prints the samples grouped by part
# (kernel, libcurl, OpenSSL, malloc, Swift runtime, parser, pipeline, filters, logging)
# with lib/profile_groups.py. Everything lives in Benchmarks/.work/profile/.
#
#   Benchmarks/lib/profile.sh [full|uncached|proxy]     (default: full)
#
#   full      the `portcullis` contender: full pipeline, one cached token
#   uncached  the `portcullis_uncached` contender: a new token per request (wrk Lua)
#   proxy     the `portcullis_proxy` contender: public route, no token
#
# Settings: PROFILE_SECONDS=10 (sampling time), PROFILE_HZ=499, BENCH_CONNECTIONS=50,
# PORTCULLIS_BIN (default .build/release/portcullis, built if missing). Needs perf
# (Debian linux-perf) and may need root. perf inflates the CPU per request it reports.
set -euo pipefail

MODE=${1:-full}
: "${PROFILE_SECONDS:=10}" "${PROFILE_HZ:=499}" "${BENCH_CONNECTIONS:=50}" "${BENCH_PORT_BASE:=23300}"
: "${BENCH_UNCACHED_TOKENS:=120000}" "${BENCH_SECONDS:=$PROFILE_SECONDS}"
: "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP_SECONDS:=2}"
INSPECT_NAME=profile INSPECT_TOOLS=perf
source "$(dirname "${BASH_SOURCE[0]}")/inspect.sh"
CONTENDERS=(profile)   # for bench_run_seconds

dir="$WORK/gateway"
mkdir -p "$dir"
port=$(bench_port)
headers=()
unset BENCH_WRK_SCRIPT
case $MODE in
  proxy)
    bench_portcullis_conf "$dir" "$port" "$UPSTREAM_PORT" public
    rm -rf "$dir/data"
    pid=$(bench_portcullis_spawn "$dir" "$port") ;;
  full|uncached)
    bench_portcullis_conf "$dir" "$port" "$UPSTREAM_PORT" scoped
    bench_portcullis_client "$dir"
    pid=$(bench_portcullis_spawn "$dir" "$port")
    bench_portcullis_token "$dir" "$port"
    headers=("Authorization: Bearer $(cat "$dir/token")")
    if [ "$MODE" = uncached ]; then
      read -r pem kid < <(bench_portcullis_signing_key "$dir")
      say "signing $BENCH_UNCACHED_TOKENS tokens with the gateway's key"
      python3 "$BENCH_LIB/mint_tokens.py" "$pem" "$kid" "$dir/tokens.txt" "$BENCH_UNCACHED_TOKENS" 1800 \
        "$BENCH_ISSUER" "$BENCH_AUDIENCE" "$(cat "$dir/client_id")" bench ledger:read
      export BENCH_WRK_SCRIPT="$BENCH_LIB/rotate.lua" BENCH_TOKENS_FILE="$dir/tokens.txt"
      headers=("Authorization: Bearer $(head -n1 "$dir/tokens.txt")")   # for the check; wrk's script sets its own
    fi ;;
  *) die "mode must be full, uncached or proxy" ;;
esac
url="http://127.0.0.1:$port$BENCH_PATH"
[ "$(bench_status "$url" "${headers[@]}")" = 200 ] || die "the gateway does not answer 200 on $url"

say "warm-up, then $PROFILE_SECONDS s of wrk with perf sampling pid $pid at $PROFILE_HZ Hz"
bench_wrk "$WORK/logs/wrk.log" 3 "$url" "${headers[@]}" >/dev/null
before=$(bench_cpu_ticks "$pid")
perf record -F "$PROFILE_HZ" --call-graph dwarf,16384 -p "$pid" -o "$WORK/perf.data" -- sleep "$PROFILE_SECONDS" \
  >"$WORK/perf-record.log" 2>&1 &
perf_pid=$!
w=$(bench_wrk "$WORK/logs/wrk.log" "$PROFILE_SECONDS" "$url" "${headers[@]}")
wait "$perf_pid" || die "perf record failed (see $WORK/perf-record.log)"
after=$(bench_cpu_ticks "$pid")
requests=$(bench_field requests <<<"$w")
say "wrk: $(bench_field rps <<<"$w") req/s; gateway CPU $(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "%.1f", (b - a) * 1e6 / hz / n }') µs/request (perf running)"
bench_cleanup
say "grouping samples (perf script with DWARF unwinding takes a minute)"
perf script -i "$WORK/perf.data" 2>/dev/null | swift demangle --simplified >"$WORK/perf.txt"
python3 "$BENCH_LIB/profile_groups.py" <"$WORK/perf.txt"
