# Contender: Portcullis with one event loop, routing /v1 to the upstream.
# No bearer token is sent: this measures the proxy path (route match, upstream
# call through libcurl, response). Once the auth filter guards the route, the
# answers turn 401 and the run stops; measure the full pipeline with a
# contender that sends a token instead (see Benchmarks/README.md).

contender_portcullis_label() { echo "Portcullis (1 worker, proxy path)"; }

contender_portcullis_start() {
  local upstream_port=$1 dir="$WORK/portcullis" port pid
  mkdir -p "$dir/data"
  port=$(bench_port)
  cat >"$dir/routes.json" <<JSON
{
  "listen": "127.0.0.1:$port",
  "issuer": "$BENCH_ISSUER",
  "audience": "$BENCH_AUDIENCE",
  "default_rpm": 10000000,
  "workers": 1,
  "apis": [
    {
      "name": "ledger",
      "versions": [ { "version": "v1", "upstream": "http://127.0.0.1:$upstream_port" } ],
      "operations": [
        { "method": "GET", "path": "/ledger/entries",      "scopes": ["ledger:read"] },
        { "method": "GET", "path": "/ledger/entries/{id}", "scopes": ["ledger:read"] }
      ]
    }
  ]
}
JSON
  "$PORTCULLIS_BIN" config check "$dir/routes.json" >>"$dir/console.log" 2>&1 \
    || die "portcullis rejects $dir/routes.json (see $dir/console.log)"
  pid=$(bench_spawn "$dir/console.log" "$PORTCULLIS_BIN" serve --config "$dir/routes.json" --data "$dir/data")
  echo "$pid $port"
}
