# Contender: HAProxy 2.6 as a plain reverse proxy, one thread, no logging
# (like nginx plain): a second reference point for the cost of proxying alone.

contender_haproxy_plain_label() { echo "HAProxy 2.6 plain"; }

contender_haproxy_plain_start() {
  local upstream_port=$1 dir="$WORK/haproxy_plain" port pid
  mkdir -p "$dir"
  port=$(bench_port)
  cat >"$dir/haproxy.cfg" <<CFG
global
    nbthread 1
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout http-keep-alive 60s

frontend gateway
    bind 127.0.0.1:$port
    default_backend ledger

backend ledger
    http-reuse always
    server upstream 127.0.0.1:$upstream_port
CFG
  haproxy -c -q -f "$dir/haproxy.cfg" >>"$dir/console.log" 2>&1 \
    || die "haproxy rejects $dir/haproxy.cfg (see $dir/console.log)"
  pid=$(bench_spawn "$dir/console.log" haproxy -db -f "$dir/haproxy.cfg")
  echo "$pid $port"
}
