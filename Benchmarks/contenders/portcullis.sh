# Contender: Portcullis with its full pipeline, one event loop: bearer token checked
# locally (RS256, claims, revocation set) with its verified-token cache, scope check,
# per-client token bucket with RateLimit headers, identity headers to the upstream,
# access log. The org and client are made with the CLI on the contender's own data
# directory (the client's rate is the CLI's maximum, 1,000,000 per minute), and the token
# comes from the gateway's own token service by client credentials; every request
# sends the same token, as a client reusing its token for minutes does.

contender_portcullis_label() { echo "Portcullis full pipeline (token from its token service, cached check)"; }

contender_portcullis_start() {
  local upstream_port=$1 dir="$WORK/portcullis" port pid
  mkdir -p "$dir"
  port=$(bench_port)
  bench_portcullis_conf "$dir" "$port" "$upstream_port" scoped
  bench_portcullis_client "$dir"
  pid=$(bench_portcullis_spawn "$dir" "$port")
  bench_portcullis_token "$dir" "$port"
  echo "$port" >"$dir/port"
  echo "$pid $port"
}

contender_portcullis_headers() { echo "Authorization: Bearer $(cat "$WORK/portcullis/token")"; }

# A fresh token each round (tokens live 15 minutes at most), fetched before the warm-up.
contender_portcullis_between_runs() { bench_portcullis_token "$WORK/portcullis" "$(cat "$WORK/portcullis/port")"; }

# Refusals are real: no token, a tampered signature, a token in the query string.
contender_portcullis_check() {
  local url=$1 h p s
  IFS=. read -r h p s <"$WORK/portcullis/token"
  [ "$(bench_status "$url")" = 401 ] || die "portcullis accepts a request without a token"
  [ "$(bench_status "$url" "Authorization: Bearer $h.$p.${s%????}AAAA")" = 401 ] \
    || die "portcullis accepts a tampered signature"
  [ "$(bench_status "$url?access_token=$h.$p.$s")" = 400 ] || die "portcullis accepts a token in the query string"
}
