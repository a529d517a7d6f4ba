# Sourced by scripts/run.sh: makes sure the demo org and its client exist in
# $DATA, gives the client a fresh secret (secrets are shown once, so each run
# makes a new one and the quickstart below always works), and sets QUICKSTART.
# Expects BIN, DATA, CONFIG.

demo_scopes=$(grep -o '"scopes": *\[[^]]*\]' "$CONFIG" | grep -o '"[^"]*"' | grep -v '"scopes"' | tr -d '"' | sort -u | paste -sd, -)
demo_scopes="${demo_scopes:+$demo_scopes,}clients:read,clients:write"

if ! "$BIN" org list --data "$DATA" | grep -q '"id": *"demo"'; then
  "$BIN" org create --id demo --name "Demo Finance Ltd" --scopes "$demo_scopes" --data "$DATA" >/dev/null
fi

demo_id=$("$BIN" client create --org demo --name "Demo integration" --scopes "$demo_scopes" \
  --external-id demo-quickstart --rpm 1000 --data "$DATA" 2>>"$RUN/cli.log" | sed -E 's/.*"client_id": *"([^"]+)".*/\1/')
demo_secret=$("$BIN" client rotate-secret "$demo_id" --data "$DATA" | sed -E 's/.*"client_secret": *"([^"]+)".*/\1/')

QUICKSTART="CLIENT_ID=$demo_id CLIENT_SECRET=$demo_secret
TOKEN=\$(curl -s -u \"\$CLIENT_ID:\$CLIENT_SECRET\" -d grant_type=client_credentials http://127.0.0.1:8080/oauth/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')
curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:8080/v1/ledger/entries
curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:8080/v2/ledger/entries"

# A demo user for the portal and the authorization pages. Its password is made
# once and kept in .run/ (a local demo only; the store keeps only its bcrypt hash).
demo_password_file="$RUN/demo-user-password"
if ! "$BIN" user show demo@example.com --data "$DATA" >/dev/null 2>&1; then
  (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$demo_password_file")
  "$BIN" user create --org demo --email demo@example.com --data "$DATA" < "$demo_password_file" >/dev/null 2>>"$RUN/cli.log"
fi
DEMO_LOGIN="demo@example.com / $(cat "$demo_password_file" 2>/dev/null || echo '(its password file in .run/ is gone: remove the data directory to start over)')"
