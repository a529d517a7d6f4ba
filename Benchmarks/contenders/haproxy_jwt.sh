# Contender: HAProxy 2.6 doing the gateway's per-request work natively, one
# thread: route match, bearer token from the Authorization header, RS256
# signature check with the algorithm and key pinned in the config (the token's
# own "alg" is only compared, never trusted), iss/aud/exp checks, the route's
# scope in the space-separated "scope" claim, a per-client_id request-rate
# limit in a stick table, identity headers to the upstream, rate-limit headers
# on the answer, and one JSON log line per request (to a file via stdout).
# HAProxy verifies the signature on every request; it has no verified-token cache.

contender_haproxy_jwt_label() { echo "HAProxy 2.6 full (RS256 verify, scope, rate limit, log)"; }

contender_haproxy_jwt_headers() { echo "Authorization: Bearer $BENCH_TOKEN"; }

contender_haproxy_jwt_start() { bench_haproxy_jwt_start "$WORK/haproxy_jwt" "$1"; }

# bench_haproxy_jwt_start DIR UPSTREAM_PORT: the configuration in DIR, started; prints "PID PORT".
bench_haproxy_jwt_start() {
  local dir=$1 upstream_port=$2 port pid
  mkdir -p "$dir"
  port=$(bench_port)
  cat >"$dir/haproxy.cfg" <<CFG
global
    nbthread 1
    maxconn 4096
    log stdout format raw local0

defaults
    mode http
    log global
    option dontlognull
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout http-keep-alive 60s

frontend gateway
    bind 127.0.0.1:$port
    unique-id-format %{+X}o%ci%cp%fp%Ts%rt%pid
    unique-id-header X-Request-Id
    log-format '{"ts":"%tr","request_id":"%ID","client_id":"%[var(txn.client_id)]","method":"%HM","path":"%HPO","status":%ST,"upstream_ms":%Tr,"total_ms":%Ta,"bytes_in":%U,"bytes_out":%B}'
    stick-table type string len 128 size 100k expire 2m store http_req_rate(60s)

    # route: GET /v1/ledger/entries and /v1/ledger/entries/{id}
    acl route_entries path_reg ^/v1/ledger/entries(/[^/]+)?$
    http-request return status 404 content-type application/problem+json string '{"status":404,"title":"Not Found"}' unless route_entries
    http-request return status 405 hdr Allow GET content-type application/problem+json string '{"status":405,"title":"Method Not Allowed"}' unless METH_GET

    # authentication: bearer token, pinned algorithm and key, claims
    http-request set-var(txn.bearer) http_auth_bearer
    http-request return status 401 hdr WWW-Authenticate 'Bearer realm="portcullis"' unless { var(txn.bearer) -m found }
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request set-var(txn.iss) var(txn.bearer),jwt_payload_query('\$.iss')
    http-request set-var(txn.aud) var(txn.bearer),jwt_payload_query('\$.aud')
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request set-var(txn.client_id) var(txn.bearer),jwt_payload_query('\$.client_id')
    http-request set-var(txn.scope) var(txn.bearer),jwt_payload_query('\$.scope')
    http-request set-var(txn.now) date
    acl alg_ok     var(txn.alg) -m str RS256
    acl sig_ok     var(txn.bearer),jwt_verify("RS256","$BENCH_PUBLIC_KEY") -m int 1
    acl iss_ok     var(txn.iss) -m str $BENCH_ISSUER
    acl aud_ok     var(txn.aud) -m str $BENCH_AUDIENCE
    acl not_expired var(txn.exp),sub(txn.now) -m int gt 0
    acl has_client var(txn.client_id) -m found
    http-request return status 401 hdr WWW-Authenticate 'Bearer realm="portcullis", error="invalid_token"' unless alg_ok sig_ok iss_ok aud_ok not_expired has_client

    # authorization: the route's scope in the scope claim
    acl scope_read var(txn.scope) -m reg (^|\\ )ledger:read(\\ |\$)
    http-request return status 403 hdr WWW-Authenticate 'Bearer realm="portcullis", error="insufficient_scope", scope="ledger:read"' unless scope_read

    # rate limit per client_id (limit far above what one core can send)
    http-request track-sc0 var(txn.client_id)
    http-request return status 429 hdr Retry-After 60 content-type application/problem+json string '{"status":429,"title":"Too Many Requests"}' if { sc_http_req_rate(0) gt $BENCH_RATE_LIMIT }

    # upstream request: caller copies of identity headers removed, ours added
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    http-request del-header X-Portcullis-Org-Id
    http-request set-header X-Portcullis-Client-Id %[var(txn.client_id)]
    http-request set-header X-Portcullis-Scopes %[var(txn.scope)]
    http-response set-header X-Request-Id %[unique-id]
    http-response set-header RateLimit-Policy "$BENCH_RATE_LIMIT;w=60"
    http-response set-header RateLimit "limit=$BENCH_RATE_LIMIT, remaining=%[sc_http_req_rate(0),neg,add($BENCH_RATE_LIMIT)], reset=60"
    default_backend ledger

backend ledger
    http-reuse always
    server upstream 127.0.0.1:$upstream_port
CFG
  haproxy -c -q -f "$dir/haproxy.cfg" >>"$dir/console.log" 2>&1 \
    || die "haproxy rejects $dir/haproxy.cfg (see $dir/console.log)"
  # The access log goes to stdout, into a file that is started afresh on each
  # run and not truncated meanwhile (HAProxy 2.6 drops O_APPEND when it makes
  # stdout non-blocking, so truncating under it would leave a sparse file).
  # About 240 bytes a line: ~150 MB for a default run.
  rm -f "$dir/access.log"
  pid=$(bench_spawn "$dir/access.log" haproxy -db -f "$dir/haproxy.cfg")
  echo "$pid $port"
}

# Proves the checks are real before measuring: no token, a tampered signature,
# an "alg":"none" token and an HS256 token signed with the public key are all refused.
contender_haproxy_jwt_check() {
  local url=$1 h p s none hs key_hex
  IFS=. read -r h p s <<<"$BENCH_TOKEN"
  [ "$(bench_status "$url")" = 401 ] || die "haproxy_jwt accepts a request without a token"
  [ "$(bench_status "$url" "Authorization: Bearer $h.$p.${s%????}AAAA")" = 401 ] \
    || die "haproxy_jwt accepts a tampered signature"
  none="$(printf '{"alg":"none","typ":"at+jwt"}' | b64url).$p."
  [ "$(bench_status "$url" "Authorization: Bearer $none")" = 401 ] || die "haproxy_jwt accepts alg none"
  key_hex=$(od -An -tx1 -v "$BENCH_PUBLIC_KEY" | tr -d ' \n')
  hs="$(printf '{"alg":"HS256","typ":"at+jwt","kid":"bench"}' | b64url).$p"
  hs="$hs.$(printf '%s' "$hs" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)"
  [ "$(bench_status "$url" "Authorization: Bearer $hs")" = 401 ] || die "haproxy_jwt accepts HS256 keyed with the public key"
}
