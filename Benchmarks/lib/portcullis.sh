# Portcullis contenders' common parts: the routes.json, a fresh data directory
# with an org and a client made by the CLI, the server process, and tokens from
# its own token service. Sourced, not executed.
# Expects WORK, PORTCULLIS_BIN and the BENCH_* settings from run.sh.

# Requests per minute of the bench client: the CLI's maximum (--rpm 1…1,000,000). A
# bucket of 1,000,000 refilled at 16,667 req/s outlasts any contender's share of a run.
: "${BENCH_PORTCULLIS_RPM:=1000000}"

# bench_portcullis_conf DIR PORT UPSTREAM_PORT public|scoped: writes DIR/routes.json,
# one event loop, access log on (the default), the bench issuer and audience. "public"
# marks the operations public (no token: the proxy path alone, limited per address at a
# rate no run reaches); "scoped" requires
# ledger:read as any real deployment would.
bench_portcullis_conf() {
  local dir=$1 port=$2 upstream_port=$3 mode=$4 access
  case $mode in
    public) access='"public": true' ;;
    scoped) access='"scopes": ["ledger:read"]' ;;
    *) die "bench_portcullis_conf: mode must be public or scoped" ;;
  esac
  cat >"$dir/routes.json" <<JSON
{
  "listen": "127.0.0.1:$port",
  "issuer": "$BENCH_ISSUER",
  "audience": "$BENCH_AUDIENCE",
  "default_rpm": 1000,
  "public_rpm": 10000000,
  "workers": 1,
  "bcrypt_cost": 10,
  "apis": [
    {
      "name": "ledger",
      "versions": [ { "version": "v1", "upstream": "http://127.0.0.1:$upstream_port" } ],
      "operations": [
        { "method": "GET", "path": "/ledger/entries",      $access },
        { "method": "GET", "path": "/ledger/entries/{id}", $access }
      ]
    }
  ]
}
JSON
  "$PORTCULLIS_BIN" config check "$dir/routes.json" >>"$dir/console.log" 2>&1 \
    || die "portcullis rejects $dir/routes.json (see $dir/console.log)"
}

# bench_portcullis_spawn DIR PORT: starts `portcullis serve` on DIR/routes.json and
# DIR/data, waits (10 s at most) until /healthz answers; prints the PID.
bench_portcullis_spawn() {
  local dir=$1 port=$2 pid i
  pid=$(bench_spawn "$dir/console.log" "$PORTCULLIS_BIN" serve --config "$dir/routes.json" --data "$dir/data")
  for i in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/healthz" || true)" = 200 ] \
      && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || die "portcullis in $dir exited at start (see $dir/console.log)"
    sleep 0.1
  done
  die "portcullis in $dir does not answer /healthz (see $dir/console.log)"
}

# bench_portcullis_client DIR: on a fresh DIR/data, an org "bench" and a client with
# ledger:read and BENCH_PORTCULLIS_RPM requests per minute, made with the CLI (as an
# operator would). Writes DIR/client_id and DIR/client_secret (mode 600).
bench_portcullis_client() {
  local dir=$1 out
  rm -rf "$dir/data"
  mkdir -p "$dir/data"
  "$PORTCULLIS_BIN" org create --id bench --name "Bench Ltd" --scopes ledger:read --data "$dir/data" \
    >>"$dir/console.log" 2>&1 || die "portcullis org create failed (see $dir/console.log)"
  out=$("$PORTCULLIS_BIN" client create --org bench --name "bench client" --scopes ledger:read \
          --rpm "$BENCH_PORTCULLIS_RPM" --bcrypt-cost 10 --data "$dir/data" 2>>"$dir/console.log") \
    || die "portcullis client create failed (see $dir/console.log)"
  (umask 077
   sed -n 's/.*"client_id": *"\([^"]*\)".*/\1/p' <<<"$out" >"$dir/client_id"
   sed -n 's/.*"client_secret": *"\([^"]*\)".*/\1/p' <<<"$out" >"$dir/client_secret")
  [ -s "$dir/client_id" ] && [ -s "$dir/client_secret" ] || die "cannot read the client create output: $out"
}

# bench_portcullis_token DIR PORT: a token by client credentials from the gateway's own
# token service (POST /oauth/token with curl), written to DIR/token.
bench_portcullis_token() {
  local dir=$1 port=$2 answer token
  answer=$(curl -s --max-time 5 -u "$(cat "$dir/client_id"):$(cat "$dir/client_secret")" \
             -d grant_type=client_credentials "http://127.0.0.1:$port/oauth/token") \
    || die "POST /oauth/token on port $port failed"
  token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$answer")
  [ -n "$token" ] || die "no access token from port $port: $answer"
  (umask 077; printf '%s\n' "$token" >"$dir/token")
}

# bench_portcullis_signing_key DIR: prints "PEM_PATH KID" of the gateway's signing key
# (keys/<kid>.pem; a fresh data directory has exactly one).
bench_portcullis_signing_key() {
  local pem
  pem=$(ls "$1"/data/keys/*.pem 2>/dev/null | head -n1)
  [ -n "$pem" ] || die "no signing key under $1/data/keys"
  echo "$pem $(basename "$pem" .pem)"
}

# bench_run_seconds: a generous estimate of how long the measured rounds take, for
# the lifetime of pre-minted tokens.
bench_run_seconds() {
  echo $(( BENCH_ROUNDS * ${#CONTENDERS[@]} * (BENCH_WARMUP_SECONDS + 2 * BENCH_SECONDS + 10) + 120 ))
}
