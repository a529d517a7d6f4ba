# nginx helpers: the upstream every contender proxies to, and the common
# parts of an nginx configuration that runs as the current user with all its
# files under one directory. Sourced, not executed.

# bench_nginx_conf DIR HTTP_BLOCK: writes DIR/nginx.conf, a single-process
# nginx (master_process off, worker_processes 1, daemon off) whose pid file,
# error log and temp paths live in DIR, with access logging off.
bench_nginx_conf() {
  local dir=$1 http_block=$2
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
master_process off;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
$http_block
}
CONF
}

# bench_nginx_spawn DIR: checks DIR/nginx.conf and starts nginx on it; prints the PID.
bench_nginx_spawn() {
  local dir=$1
  nginx -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >>"$dir/console.log" 2>&1 \
    || die "nginx rejects $dir/nginx.conf (see $dir/console.log)"
  bench_spawn "$dir/console.log" nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
}

# bench_start_upstream: the ledger stand-in. Answers every path under
# /v1/ledger/ with the fixed JSON body in BENCH_BODY. Prints "PID PORT".
bench_start_upstream() {
  local dir="$WORK/upstream" port pid
  mkdir -p "$dir"
  port=$(bench_port)
  bench_nginx_conf "$dir" "    server {
        listen 127.0.0.1:$port;
        location /v1/ledger/ {
            default_type application/json;
            return 200 '$BENCH_BODY';
        }
        location / { return 404; }
    }"
  pid=$(bench_nginx_spawn "$dir")
  echo "$pid $port"
}
