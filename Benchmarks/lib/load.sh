# Load generation: a closed-loop wrk run and a fixed-rate h2load run, each
# reduced to key=value figures. Sourced, not executed.
# Expects WORK, BENCH_LIB and the BENCH_* settings from run.sh.

# bench_field KEY < "k1=v1 k2=v2 ...": prints the value of KEY.
bench_field() { tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1; }

# bench_wrk LOG DURATION URL [HEADER...]: one `wrk -t1 -c$BENCH_CONNECTIONS
# --latency` run with lib/summary.lua, or BENCH_WRK_SCRIPT when set (it must print the
# same summary line); wrk's full output is appended to LOG. Prints
# "requests=… rps=… p50_us=… p90_us=… p99_us=… status_errors=… socket_errors=…".
bench_wrk() {
  local log=$1 secs=$2 url=$3; shift 3
  local args=() h out line
  for h in "$@"; do args+=(-H "$h"); done
  out=$(wrk -t1 -c"$BENCH_CONNECTIONS" -d"${secs}s" --latency -s "${BENCH_WRK_SCRIPT:-$BENCH_LIB/summary.lua}" \
          "${args[@]}" "$url") \
    || die "wrk failed against $url (see $log)"
  printf '%s\n' "$out" >>"$log"
  line=$(printf '%s\n' "$out" | sed -n 's/^BENCH //p')
  [ -n "$line" ] || die "wrk printed no summary for $url (see $log)"
  local requests duration
  requests=$(bench_field requests <<<"$line")
  duration=$(bench_field duration_us <<<"$line")
  printf '%s rps=%s\n' "$line" "$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.1f", r / (d / 1e6) }')"
}

# bench_h2load_args: the h2load options of the fixed-rate run (without -H and URL).
# Each connection sends at its own fixed rate on a timer that starts when it
# connects. Opened all at once, the connections' timers tick together and the
# "fixed rate" arrives as bursts of BENCH_FIXED_CLIENTS requests; opening them
# ceil(rate/1000) per millisecond spreads their slots over the interval
# (2,000 req/s over 20 connections: two requests every millisecond).
bench_h2load_args() {
  local per_client=$((BENCH_FIXED_RPS / BENCH_FIXED_CLIENTS))
  local per_ms=$(((BENCH_FIXED_RPS + 999) / 1000))
  echo "--h1 -t1 -c$BENCH_FIXED_CLIENTS --rps=$per_client -r$per_ms --rate-period=1ms -n$((per_client * BENCH_FIXED_CLIENTS * BENCH_SECONDS))"
}

# bench_h2load LOG URL [HEADER...]: a fixed-rate HTTP/1.1 run at
# BENCH_FIXED_RPS requests/s in total for BENCH_SECONDS, spread over
# BENCH_FIXED_CLIENTS connections. h2load's summary is appended to LOG; the
# percentiles come from its per-request log (column 3: µs from request start
# to end of response). Prints "requests=… failed=… rate=… p50_us=… p99_us=… max_us=…"
# (rate: the request rate h2load achieved).
bench_h2load() {
  local log=$1 url=$2; shift 2
  local args=() h timings opts
  for h in "$@"; do args+=(-H "$h"); done
  read -r -a opts <<<"$(bench_h2load_args)"
  timings="$WORK/h2load-timings.tsv"
  rm -f "$timings"
  h2load "${opts[@]}" --log-file="$timings" "${args[@]}" "$url" >>"$log" 2>&1 \
    || die "h2load failed against $url (see $log)"
  [ -s "$timings" ] || die "h2load wrote no per-request log for $url (see $log)"
  awk -F'\t' '{ n++; if ($2 != 200) bad++ } END { printf "requests=%d failed=%d", n, bad + 0 }' "$timings"
  printf ' rate=%s' "$(grep 'finished in' "$log" | tail -n1 | sed -E 's/.*, ([0-9.]+) req\/s.*/\1/')"
  cut -f3 "$timings" | sort -n | awk '{ v[NR] = $1 } END {
    i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
    printf " p50_us=%d p99_us=%d max_us=%d\n", v[i50], v[i99], v[NR] }'
}
