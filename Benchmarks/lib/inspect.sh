# Shared start of the tools that look inside one Portcullis gateway (profile.sh,
# instructions.sh), sourced after they set their own defaults: paths, the bench's
# libraries, cleanup of every process started (also on errors and Ctrl-C), the
# release binary (built when PORTCULLIS_BIN is not given) and the bench's nginx
# upstream on UPSTREAM_PORT. INSPECT_NAME names the folder under Benchmarks/.work/
# (WORK); INSPECT_TOOLS lists the commands the tool needs.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCH_LIB="$BENCH_DIR/lib"
WORK="$BENCH_DIR/.work/$INSPECT_NAME"
: "${BENCH_ISSUER:=http://portcullis.bench}" "${BENCH_AUDIENCE:=http://portcullis.bench}"
: "${BENCH_PATH:=/v1/ledger/entries}"
eval "$(grep '^BENCH_BODY=' "$BENCH_DIR/run.sh")"   # the upstream's body, as in run.sh

source "$BENCH_LIB/common.sh"
source "$BENCH_LIB/load.sh"
source "$BENCH_LIB/nginx.sh"
source "$BENCH_LIB/portcullis.sh"
export PATH="$PATH:/usr/sbin"
for tool in $INSPECT_TOOLS wrk nginx curl swift python3; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-bench-deps.sh installs the bench's tools)"
done

mkdir -p "$WORK/logs"
bench_cleanup
trap bench_cleanup EXIT
trap 'exit 130' INT TERM HUP
if [ -z "${PORTCULLIS_BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --product portcullis >"$WORK/build.log" 2>&1) || die "release build failed"
  PORTCULLIS_BIN="$ROOT/.build/release/portcullis"
fi

read -r _ UPSTREAM_PORT < <(bench_start_upstream)
bench_wait_http "http://127.0.0.1:$UPSTREAM_PORT$BENCH_PATH" || die "the upstream does not answer"
