#!/usr/bin/env bash
# Instructions per proxied request: runs the gateway (one event loop, access log on)
# under valgrind's callgrind in front of the bench's nginx upstream, collecting only
# inside the event loop's iterations, loads it with a few seconds of wrk, and prints
# user-space instructions per request, split by owner (libcurl, libc, the Swift
# runtime, Portcullis). Unlike CPU time, the count barely moves with the machine's
# load, so it shows what a change to the request path costs or saves even while
# other work runs (RESULTS.md's ratios need a quiet machine). Everything lives in
# Benchmarks/.work/instructions/.
#
#   Benchmarks/lib/instructions.sh [full|proxy]     (default: full)
#
#   full    the `portcullis` contender: full pipeline, one cached token
#   proxy   the `portcullis_proxy` contender: public route, no token
#
# Settings: INSTRUCTIONS_SECONDS=12 (wrk time), BENCH_CONNECTIONS=10 (valgrind runs the
# gateway some 50x slower; ten connections keep it busy), PORTCULLIS_BIN (default
# .build/release/portcullis, built if missing). Needs valgrind (Debian valgrind).
# The count varies by a few per cent with how many requests share one loop iteration.
set -euo pipefail

MODE=${1:-full}
: "${INSTRUCTIONS_SECONDS:=12}" "${BENCH_CONNECTIONS:=10}" "${BENCH_PORT_BASE:=23500}"
: "${BENCH_PORTCULLIS_RPM:=1000000}"
case $MODE in full|proxy) ;; *) echo "mode must be full or proxy" >&2; exit 2 ;; esac
INSPECT_NAME=instructions INSPECT_TOOLS="valgrind callgrind_annotate"
source "$(dirname "${BASH_SOURCE[0]}")/inspect.sh"

dir="$WORK/gateway"
mkdir -p "$dir"
port=$(bench_port)
headers=()
if [ "$MODE" = proxy ]; then
  bench_portcullis_conf "$dir" "$port" "$UPSTREAM_PORT" public
  rm -rf "$dir/data"
else
  bench_portcullis_conf "$dir" "$port" "$UPSTREAM_PORT" scoped
  bench_portcullis_client "$dir"
fi

# The gateway under callgrind: counting only inside EventLoop.runOnce leaves out
# start-up, the store pollers and the log writer thread.
out="$WORK/callgrind.out"
rm -f "$out"
pid=$(bench_spawn "$dir/console.log" valgrind --tool=callgrind --callgrind-out-file="$out" \
        --toggle-collect='*9EventLoopC7runOnce*' \
        "$PORTCULLIS_BIN" serve --config "$dir/routes.json" --data "$dir/data")
for i in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || die "the gateway exited under valgrind (see $dir/console.log)"
  sleep 0.2
done
if [ "$MODE" = full ]; then
  bench_portcullis_token "$dir" "$port"
  headers=("Authorization: Bearer $(cat "$dir/token")")
fi
url="http://127.0.0.1:$port$BENCH_PATH"
[ "$(bench_status "$url" "${headers[@]}")" = 200 ] || die "the gateway does not answer 200 on $url"

say "$INSTRUCTIONS_SECONDS s of wrk -c$BENCH_CONNECTIONS against the gateway under callgrind ($MODE)"
w=$(bench_wrk "$WORK/logs/wrk.log" "$INSTRUCTIONS_SECONDS" "$url" "${headers[@]}")
requests=$(bench_field requests <<<"$w")
# The extra requests (health checks, token, the 200 check) are a handful among thousands.
kill -INT "$pid"
for i in $(seq 100); do [ -s "$out" ] && ! kill -0 "$pid" 2>/dev/null && break; sleep 0.2; done
[ -s "$out" ] || die "callgrind wrote no profile (see $dir/console.log)"

callgrind_annotate "$out" 2>/dev/null | python3 -c '
import re, sys, collections
requests = int(sys.argv[1])
owners = collections.Counter()
total = 0
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+.*\[(.*)\]\s*$", line)
    if not m:
        continue
    count = int(m.group(1).replace(",", ""))
    name = m.group(2).split("/")[-1]
    owner = ("libcurl" if name.startswith("libcurl") else "libc (malloc, memcpy, sscanf, ...)" if name.startswith("libc.")
             else "Swift runtime" if name.startswith("libswift") or name.startswith("libFoundation")
             else "Portcullis" if name == "portcullis" else "other")
    owners[owner] += count
    total += count
print(f"requests: {requests}; instructions per request: {total // requests:,}")
for owner, count in owners.most_common():
    print(f"  {owner:40s} {count // requests:>9,}  {100 * count / total:5.1f} %")
' "$requests"
