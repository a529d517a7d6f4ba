# Shared helpers for Benchmarks/run.sh and the contender files: logging,
# port allocation, process registry and clean-up, readiness checks, CPU
# accounting from /proc, and small statistics. Sourced, not executed.
# Expects WORK (the scratch directory) to be set by the caller.

say()  { printf '[bench] %s\n' "$*" >&2; }
die()  { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# --- ports -------------------------------------------------------------------

# Prints a TCP port on 127.0.0.1 that nothing listens on and that this run has
# not handed out yet. Scans upwards from BENCH_PORT_BASE (below the kernel's
# ephemeral range, so outgoing connections cannot take it meanwhile).
bench_port() {
  local port=$BENCH_PORT_BASE
  local used
  used=$(ss -Hltn 2>/dev/null | awk '{print $4}' | sed -E 's/.*:([0-9]+)$/\1/' | sort -u)
  while :; do
    if ! grep -qx "$port" <<<"$used" && ! grep -qx "$port" "$WORK/ports" 2>/dev/null; then
      echo "$port" >>"$WORK/ports"
      echo "$port"
      return 0
    fi
    port=$((port + 1))
    [ "$port" -lt 32768 ] || die "no free port between $BENCH_PORT_BASE and 32767"
  done
}

# Fails unless nothing listens on 127.0.0.1:PORT (or any address with that port).
bench_port_free() {
  ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# --- processes -----------------------------------------------------------------

# bench_spawn LOGFILE CMD [ARGS...]: starts CMD in the background with stdout
# and stderr appended to LOGFILE, records its PID for clean-up, prints the PID.
# Safe inside $(...): the child does not hold the caller's stdout.
bench_spawn() {
  local log=$1; shift
  "$@" >>"$log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >>"$WORK/pids"
  echo "$pid"
}

# True when PID is alive and its command line names WORK (so a recycled PID
# that now belongs to an unrelated process is never signalled).
bench_owned() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$WORK"
}

# Stops every process this run (or an earlier, killed run) started and that
# still runs with WORK on its command line: TERM, then KILL after 3 s, by PID.
bench_cleanup() {
  local all=() pids=() pid i
  [ -f "$WORK/pids" ] && mapfile -t all <"$WORK/pids"
  for pid in "${all[@]}"; do bench_owned "$pid" && pids+=("$pid"); done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 30); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$WORK/pids" "$WORK/ports"
}

# bench_wait_http URL [HEADER...]: waits up to 10 s for URL to answer 200.
bench_wait_http() {
  local url=$1; shift
  local args=() h i
  for h in "$@"; do args+=(-H "$h"); done
  for i in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "${args[@]}" "$url" || true)" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

# bench_status URL [HEADER...]: prints the HTTP status code of one GET.
bench_status() {
  local url=$1; shift
  local args=() h
  for h in "$@"; do args+=(-H "$h"); done
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${args[@]}" "$url" || true
}

# --- CPU accounting ----------------------------------------------------------------

# Prints utime+stime in clock ticks of PID and all its live descendants
# (/proc/PID/stat counts every thread of a process).
bench_cpu_ticks() {
  local total=0 pid stat rest child
  local queue=("$1")
  while [ ${#queue[@]} -gt 0 ]; do
    pid=${queue[0]}; queue=("${queue[@]:1}")
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${stat##*) }                          # fields from 3 on; comm may hold spaces
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))           # fields 14 (utime) and 15 (stime)
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do queue+=("$child"); done
  done
  echo "$total"
}

# --- statistics --------------------------------------------------------------------

# Median of the numbers on stdin (one per line); "-" when there are none.
bench_median() {
  sort -g | awk '{v[NR]=$1} END {
    if (NR == 0) { print "-"; exit }
    if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'
}

# bench_fmt NUMBER DECIMALS: rounds for tables; passes "-" through.
bench_fmt() {
  case $1 in -|'') echo "-" ;; *) LC_ALL=C printf "%.${2}f\n" "$1" ;; esac
}
