# Contender: Portcullis, one event loop, on public operations (no token): the proxy
# path alone — HTTP server, route match, libcurl upstream call, response, and the
# access log (on, as always). Compare with `portcullis` to see what the bearer check,
# rate limit and identity headers add.

contender_portcullis_proxy_label() { echo "Portcullis proxy path (public route, access log)"; }

contender_portcullis_proxy_start() {
  local upstream_port=$1 dir="$WORK/portcullis_proxy" port pid
  mkdir -p "$dir"
  port=$(bench_port)
  bench_portcullis_conf "$dir" "$port" "$upstream_port" public
  rm -rf "$dir/data"
  pid=$(bench_portcullis_spawn "$dir" "$port")
  echo "$pid $port"
}
