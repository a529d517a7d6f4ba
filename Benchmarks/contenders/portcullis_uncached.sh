# Contender: Portcullis full pipeline (as `portcullis`) where every request carries a
# token the gateway has not verified recently, so every request pays the RS256
# signature check, as HAProxy's jwt_verify does.
#
# The verified-token cache holds 100,000 tokens (16 shards, CLOCK eviction), so
# rotating through a few thousand tokens would measure the cache, not the check:
# wrk cycles through BENCH_UNCACHED_TOKENS (default 120,000) distinct tokens in
# order, more than the cache holds, and each token is evicted before it comes round
# again. Minting that many through POST /oauth/token would take minutes and append as
# many audit events, so they are signed by lib/mint_tokens.py with the gateway's own
# key (DATA/keys/<kid>.pem, which the operator of a data directory can read): same
# header, same claims, same key as the token service's; only `jti` differs. Their
# lifetime is 900 s or the estimated length of the run if longer (the verifier does
# not bound exp − iat). No fixed-rate run: h2load cannot vary a header per request.

: "${BENCH_UNCACHED_TOKENS:=120000}"

contender_portcullis_uncached_label() {
  echo "Portcullis full pipeline, a new token on every request (uncached check)"
}

contender_portcullis_uncached_start() {
  local upstream_port=$1 dir="$WORK/portcullis_uncached" port pid pem kid lifetime started
  mkdir -p "$dir"
  port=$(bench_port)
  bench_portcullis_conf "$dir" "$port" "$upstream_port" scoped
  bench_portcullis_client "$dir"
  pid=$(bench_portcullis_spawn "$dir" "$port")
  read -r pem kid < <(bench_portcullis_signing_key "$dir")
  lifetime=$(bench_run_seconds)
  [ "$lifetime" -lt 900 ] && lifetime=900
  started=$(date +%s)
  say "portcullis_uncached: signing $BENCH_UNCACHED_TOKENS tokens with the gateway's key (lifetime $lifetime s)"
  python3 "$BENCH_LIB/mint_tokens.py" "$pem" "$kid" "$dir/tokens.txt" "$BENCH_UNCACHED_TOKENS" "$lifetime" \
    "$BENCH_ISSUER" "$BENCH_AUDIENCE" "$(cat "$dir/client_id")" bench "ledger:read" >>"$dir/console.log" 2>&1 \
    || die "minting tokens failed (see $dir/console.log; needs python3-cryptography)"
  say "portcullis_uncached: signed in $(( $(date +%s) - started )) s"
  echo "$pid $port"
}

contender_portcullis_uncached_headers() { echo "Authorization: Bearer $(head -n1 "$WORK/portcullis_uncached/tokens.txt")"; }
contender_portcullis_uncached_wrk_script() { echo "$BENCH_LIB/rotate.lua"; }
contender_portcullis_uncached_fixed_rate() { return 1; }
