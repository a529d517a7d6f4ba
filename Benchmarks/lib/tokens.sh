# Bench credentials: an RSA-2048 key pair and an RS256 access token in the
# shape of RFC 9068, made with openssl so that a proxy under test verifies a
# real signature on every request. Sourced, not executed.
#
# Files under $WORK/keys (kept between runs; the token is re-signed each run):
#   bench-private.pem   signing key (never leaves .work)
#   bench-public.pem    SubjectPublicKeyInfo PEM, for jwt_verify and the like
#   jwks.json           the same key as a JWKS with kid "bench"
#   token.jwt           the access token, valid for BENCH_TOKEN_TTL seconds
#   claims.json         the token's claims, for reference

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# bench_make_token: creates the key pair if missing, signs a fresh token, and
# sets BENCH_TOKEN and BENCH_PUBLIC_KEY.
bench_make_token() {
  local dir="$WORK/keys"
  mkdir -p "$dir"
  if [ ! -s "$dir/bench-private.pem" ] || [ ! -s "$dir/bench-public.pem" ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/bench-private.pem" 2>/dev/null
    openssl pkey -in "$dir/bench-private.pem" -pubout -out "$dir/bench-public.pem"
    chmod 600 "$dir/bench-private.pem"
  fi
  local n e
  n=$(openssl rsa -pubin -in "$dir/bench-public.pem" -noout -modulus | sed 's/^Modulus=//' | perl -ne 'chomp; print pack("H*", $_)' | b64url)
  e=$(printf '\x01\x00\x01' | b64url)
  printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"bench","n":"%s","e":"%s"}]}\n' "$n" "$e" >"$dir/jwks.json"

  local now exp header claims input sig
  now=$(date +%s)
  exp=$((now + BENCH_TOKEN_TTL))
  header='{"alg":"RS256","typ":"at+jwt","kid":"bench"}'
  claims=$(printf '{"iss":"%s","sub":"%s","aud":"%s","client_id":"%s","scope":"%s","iat":%d,"exp":%d,"jti":"bench-%d-%d"}' \
    "$BENCH_ISSUER" "$BENCH_CLIENT_ID" "$BENCH_AUDIENCE" "$BENCH_CLIENT_ID" "$BENCH_SCOPE" "$now" "$exp" "$now" "$$")
  printf '%s\n' "$claims" >"$dir/claims.json"
  input="$(printf '%s' "$header" | b64url).$(printf '%s' "$claims" | b64url)"
  sig=$(printf '%s' "$input" | openssl dgst -sha256 -sign "$dir/bench-private.pem" -binary | b64url)
  printf '%s.%s\n' "$input" "$sig" >"$dir/token.jwt"
  # A check that the token verifies with the public key before any proxy sees it.
  printf '%s' "$sig" | tr -- '-_' '+/' | awk '{ s=$0; while (length(s) % 4) s = s "="; print s }' \
    | openssl base64 -d -A >"$dir/token.sig"
  printf '%s' "$input" | openssl dgst -sha256 -verify "$dir/bench-public.pem" -signature "$dir/token.sig" >/dev/null \
    || die "the bench token does not verify with $dir/bench-public.pem"
  rm -f "$dir/token.sig"

  BENCH_TOKEN=$(cat "$dir/token.jwt")
  BENCH_PUBLIC_KEY="$dir/bench-public.pem"
}
