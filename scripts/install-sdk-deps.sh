#!/usr/bin/env bash
# Installs what OpenAPI validation, SDK generation and the browser test need, only
# what is missing, and prints nothing when everything is present:
#   - Debian: a Java runtime (if `java` is missing), tsc (node-typescript), Go and
#     Debian's golang.org/x/oauth2 and x/net sources (offline Go builds), python3-venv,
#     chromium and chromium-driver (the headless browser test);
#   - PyPI, into the project-local virtual environment .venv/ (never the machine's
#     Python): the pinned openapi-generator-cli, openapi-spec-validator, schemathesis,
#     selenium, and the runtime the generated Python SDK needs (pydantic >= 2.11, urllib3 >= 2.7).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
python_packages=(
  "openapi-generator-cli==7.26.0"
  "openapi-spec-validator==0.9.0"
  "schemathesis==4.32.5"
  "pydantic>=2.11"
  "urllib3>=2.7"
  "python-dateutil>=2.8.2"
  "typing-extensions>=4.7.1"
  "selenium==4.51.0"
)

apt_packages=(node-typescript golang-go golang-golang-x-oauth2-dev golang-golang-x-net-dev python3-venv
              chromium chromium-driver)
command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv is rebuilt when the wanted list changes (its text is the stamp).
stamp="$venv/.portcullis-sdk-deps"
wanted=$(printf '%s\n' "${python_packages[@]}")
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "installing into $venv: ${python_packages[*]}" >&2
# Debian's interpreter (with python3-venv) when there is one, else whatever python3 is first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${python_packages[@]}"
printf '%s' "$wanted" > "$stamp"
