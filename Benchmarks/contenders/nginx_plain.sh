# Contender: nginx 1.22 as a plain reverse proxy (the baseline every ratio is
# taken against). One process, keep-alive pool of 256 to the upstream.

contender_nginx_plain_label() { echo "nginx plain proxy_pass"; }

contender_nginx_plain_start() {
  local upstream_port=$1 dir="$WORK/nginx_plain" port pid
  mkdir -p "$dir"
  port=$(bench_port)
  bench_nginx_conf "$dir" "    upstream ledger {
        server 127.0.0.1:$upstream_port;
        keepalive 256;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://ledger;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }"
  pid=$(bench_nginx_spawn "$dir")
  echo "$pid $port"
}
