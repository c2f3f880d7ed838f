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

# start_chat_fixture [CPU]: the gateway's environment (SQLite under $WORK, fresh secrets), a mock
# OpenAI upstream (pinned to CPU when given) and a user whose key points at it. Sets UPORT and TOKEN.
start_chat_fixture() {
    export GATEWAY_DATABASE_URL="sqlite://$WORK/gateway.db"
    export GATEWAY_JWT_SECRET="bench-secret-$(head -c 24 /dev/urandom | base64)"
    export GATEWAY_ENCRYPTION_KEY=$("$BIN/local-runner" rotate-keys --generate-key bench)
    export GATEWAY_LOG_LEVEL=error
    UPORT=$(free_port)
    if [ -n "${1:-}" ]; then
        setsid taskset -c "$1" "$BIN/bench-fixture" upstream "$UPORT" >/dev/null & pids+=($!)
    else
        setsid "$BIN/bench-fixture" upstream "$UPORT" >/dev/null & pids+=($!)
    fi
    "$BIN/bench-fixture" seed "http://127.0.0.1:$UPORT/v1"
    TOKEN=$("$BIN/local-runner" token --user bench-user --ttl 36000 --data-dir "$WORK/.data" 2>/dev/null)
}
