# Shared by the benchmark scripts: a scratch directory whose processes die with the script,
# a free port, and an nginx configuration around the `http { ... }` body a benchmark supplies.
WORK=$(mktemp -d)
chmod 755 "$WORK"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# write_nginx_conf: reads the http-level directives (upstreams, server) from stdin.
write_nginx_conf() {
    {
        [ "$(id -u)" = 0 ] && echo "user root;"
        echo "daemon off; worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/error.log warn;"
        echo "events { worker_connections 1024; }"
        echo "http {"
        echo "  access_log off;"
        echo "  client_body_temp_path $WORK/cb; fastcgi_temp_path $WORK/ft; proxy_temp_path $WORK/pt; uwsgi_temp_path $WORK/ut; scgi_temp_path $WORK/st;"
        cat
        echo "}"
    } > "$WORK/nginx.conf"
}
