#!/usr/bin/env bash
# Installs the Debian packages a target needs, only those that are missing.
#   scripts/install-deps.sh build   libraries the package links against
#   scripts/install-deps.sh run     build + what `make run` uses (curl)
#   scripts/install-deps.sh test    build + what the test suite starts
set -euo pipefail

build=(libcurl4-openssl-dev libssl-dev libsqlite3-dev libcrypt-dev pkg-config)
run=(curl)
test=(curl openssl python3)   # openssl and python3: the TLS upstream of the upstream client tests

case "${1:-build}" in
  build) wanted=("${build[@]}") ;;
  run)   wanted=("${build[@]}" "${run[@]}") ;;
  test)  wanted=("${build[@]}" "${test[@]}") ;;
  *) echo "usage: $0 build|run|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
