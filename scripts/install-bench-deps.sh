#!/usr/bin/env bash
# Installs the load and comparison tools Benchmarks/run.sh uses, only those
# that are missing: nginx (light build), wrk, h2load (nghttp2-client), haproxy,
# valgrind (Benchmarks/lib/instructions.sh counts instructions per request with it),
# and Python's cryptography module (Benchmarks/lib/mint_tokens.py signs tokens).
# Quiet and without side effects when everything is already present.
set -euo pipefail

# package : command it provides (checked first, so a hand-installed tool counts too)
wanted=(nginx-light:nginx wrk:wrk nghttp2-client:h2load haproxy:haproxy valgrind:valgrind)

missing=()
for entry in "${wanted[@]}"; do
  pkg=${entry%%:*} cmd=${entry#*:}
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" && continue
  missing+=("$pkg")
done
python3 -c "import cryptography" >/dev/null 2>&1 || missing+=(python3-cryptography)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing benchmark tools: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
