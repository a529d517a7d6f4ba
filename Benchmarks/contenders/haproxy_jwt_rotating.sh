# Contender: HAProxy full (as `haproxy_jwt`) driven by the same wrk Lua script as
# `portcullis_uncached`, cycling through distinct tokens signed with the bench key.
# HAProxy verifies every signature anyway, so its own work is that of `haproxy_jwt`;
# this variant puts the same per-request cost on the load generator (which shares the
# cores) as the Portcullis uncached run, so their req/s compare fairly. No fixed-rate
# run (h2load cannot vary a header per request).

source "$BENCH_DIR/contenders/haproxy_jwt.sh"

: "${BENCH_ROTATING_TOKENS:=2000}"

contender_haproxy_jwt_rotating_label() { echo "HAProxy 2.6 full, a new token on every request (wrk Lua)"; }

contender_haproxy_jwt_rotating_start() {
  local dir="$WORK/haproxy_jwt_rotating"
  mkdir -p "$dir"
  python3 "$BENCH_LIB/mint_tokens.py" "$WORK/keys/bench-private.pem" bench "$dir/tokens.txt" "$BENCH_ROTATING_TOKENS" \
    "$BENCH_TOKEN_TTL" "$BENCH_ISSUER" "$BENCH_AUDIENCE" "$BENCH_CLIENT_ID" bench "$BENCH_SCOPE" \
    >>"$dir/console.log" 2>&1 || die "minting tokens failed (see $dir/console.log; needs python3-cryptography)"
  bench_haproxy_jwt_start "$dir" "$1"
}

contender_haproxy_jwt_rotating_headers() { echo "Authorization: Bearer $(head -n1 "$WORK/haproxy_jwt_rotating/tokens.txt")"; }
contender_haproxy_jwt_rotating_wrk_script() { echo "$BENCH_LIB/rotate.lua"; }
contender_haproxy_jwt_rotating_fixed_rate() { return 1; }
contender_haproxy_jwt_rotating_check() { contender_haproxy_jwt_check "$@"; }
